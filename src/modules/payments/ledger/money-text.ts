import { formatMoney } from '../../../common/money.js';

/** An amount for a staff notice; a currency the formatter does not know still reads plainly. */
export function moneyText(amountMinor: number, currency: string): string {
  try {
    return formatMoney(amountMinor, currency.toUpperCase());
  } catch {
    return `${amountMinor} ${currency.slice(0, 3)} (minor units)`;
  }
}
