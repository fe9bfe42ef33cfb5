/**
 * What staff read about a Paystack payment that was reported but not applied: one line,
 * the order number and codes only (the e-mail leaves our control), and what to do.
 */
export function unappliedPaymentSummary(orderNumber: number, outcome: string): string {
  const order = `order #${orderNumber}`;
  return `${whatHappened(order, outcome)} It was not applied to the order. Check it in the Paystack dashboard before releasing the order.`;
}

function whatHappened(order: string, outcome: string): string {
  if (outcome === 'verify_mismatch') {
    return `Paystack reported a payment for ${order}, but its verify answer is about another payment or business.`;
  }
  if (outcome.startsWith('not_successful:')) {
    return `Paystack reported a payment for ${order}, but now calls it ${outcome.slice('not_successful:'.length)}.`;
  }
  return `Paystack reported a payment for ${order} that could not be verified (${outcome}).`;
}

/** An event that stayed unapplied for too long or failed too often, for a person to finish. */
export function gaveUpSummary(orderNumber: number, event: string, reason: string): string {
  return (
    `A Paystack ${event} event for order #${orderNumber} could not be applied in time (${reason}); ` +
    `nothing was changed. Check the payment in the Paystack dashboard and settle the order by hand.`
  );
}
