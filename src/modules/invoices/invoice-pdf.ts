import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { formatMoney } from '../../common/money.js';
import type { InvoiceDetailView, InvoiceLineView, InvoiceStatus } from './invoice.views.js';

/** Far above any real invoice (a thousand lines is ~200 KB): a runaway document fails instead of eating memory. */
const MAX_PDF_BYTES = 10 * 1024 * 1024;
const MARGIN = 50;
const COLUMNS = {
  item: { x: MARGIN, width: 240 },
  quantity: { x: 295, width: 50 },
  unitPrice: { x: 350, width: 95 },
  amount: { x: 450, width: 95 },
} as const;
const RIGHT = COLUMNS.amount.x + COLUMNS.amount.width;
const STATUS_COLOURS: Record<InvoiceStatus, string> = { issued: '#444444', paid: '#1a7f37', void: '#b42318' };

type Doc = InstanceType<typeof PDFDocument>;
interface Formatters {
  money: (amountMinor: number) => string;
  date: (iso: string) => string;
}

/**
 * The invoice as a PDF for the customer and the business. DejaVu Sans is embedded (and
 * subset) because the PDF standard fonts cannot draw most currency signs (₦, ₵, ₹) nor
 * names outside Western European scripts.
 */
export async function renderInvoicePdf(invoice: InvoiceDetailView): Promise<Buffer> {
  const fonts = await loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: {
      Title: `Invoice ${invoice.number}`,
      Author: invoice.businessName,
      CreationDate: new Date(invoice.issuedAt),
    },
  });
  const done = collect(doc);
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const format = formattersFor(invoice);
  drawHeading(doc, invoice, format);
  drawCustomer(doc, invoice);
  drawLines(doc, invoice.lines, format);
  drawTotals(doc, invoice, format);
  doc.end();
  return done;
}

function drawHeading(doc: Doc, invoice: InvoiceDetailView, format: Formatters): void {
  doc
    .font('bold')
    .fontSize(20)
    .fillColor('#000000')
    .text(invoice.businessName, { width: RIGHT - MARGIN });
  doc.moveDown(0.5);
  doc.font('bold').fontSize(14).text(`Invoice ${invoice.number}`);
  doc
    .font('regular')
    .fontSize(10)
    .text(`Issued ${format.date(invoice.issuedAt)}`);
  doc.text(`Order #${invoice.orderNumber}`);
  doc.moveDown(0.5);
  doc.font('bold').fontSize(12).fillColor(STATUS_COLOURS[invoice.status]).text(statusLine(invoice, format));
  doc.fillColor('#000000').moveDown(1);
}

function statusLine(invoice: InvoiceDetailView, format: Formatters): string {
  switch (invoice.status) {
    case 'paid':
      return invoice.paidAt ? `PAID ${format.date(invoice.paidAt)}` : 'PAID';
    case 'void':
      return 'VOID';
    case 'issued':
      return 'ISSUED';
  }
}

function drawCustomer(doc: Doc, invoice: InvoiceDetailView): void {
  const { customer } = invoice;
  doc.font('bold').fontSize(10).text('Bill to');
  doc.font('regular').text(customer.name).text(customer.phone);
  doc.text('address' in customer ? customer.address : 'Pickup', { width: RIGHT - MARGIN });
  doc.moveDown(1.5);
}

function drawLines(doc: Doc, lines: InvoiceLineView[], format: Formatters): void {
  drawTableHeader(doc);
  doc.font('regular').fontSize(10);
  for (const line of lines) {
    const height = Math.max(doc.heightOfString(line.name, { width: COLUMNS.item.width }), doc.currentLineHeight()) + 6;
    if (doc.y + height > doc.page.height - MARGIN - 60) {
      doc.addPage();
      drawTableHeader(doc);
      doc.font('regular').fontSize(10);
    }
    const y = doc.y;
    doc.text(line.name, COLUMNS.item.x, y, { width: COLUMNS.item.width });
    cell(doc, String(line.quantity), COLUMNS.quantity, y);
    cell(doc, format.money(line.unitPriceMinor), COLUMNS.unitPrice, y);
    cell(doc, format.money(line.lineTotalMinor), COLUMNS.amount, y);
    doc.x = MARGIN;
    doc.y = y + height;
  }
}

function drawTableHeader(doc: Doc): void {
  const y = doc.y;
  doc.font('bold').fontSize(10);
  doc.text('Item', COLUMNS.item.x, y, { width: COLUMNS.item.width });
  cell(doc, 'Qty', COLUMNS.quantity, y);
  cell(doc, 'Unit price', COLUMNS.unitPrice, y);
  cell(doc, 'Amount', COLUMNS.amount, y);
  const below = y + doc.currentLineHeight() + 4;
  doc.moveTo(MARGIN, below).lineTo(RIGHT, below).strokeColor('#999999').lineWidth(0.5).stroke();
  doc.x = MARGIN;
  doc.y = below + 6;
}

function drawTotals(doc: Doc, invoice: InvoiceDetailView, format: Formatters): void {
  if (doc.y > doc.page.height - MARGIN - 60) doc.addPage();
  const top = doc.y + 2;
  doc.moveTo(COLUMNS.unitPrice.x, top).lineTo(RIGHT, top).strokeColor('#999999').lineWidth(0.5).stroke();
  doc.y = top + 6;
  if (invoice.subtotalMinor !== invoice.totalMinor) {
    const y = doc.y;
    doc.font('regular').fontSize(10);
    cell(doc, 'Subtotal', COLUMNS.unitPrice, y);
    cell(doc, format.money(invoice.subtotalMinor), COLUMNS.amount, y);
    doc.y = y + doc.currentLineHeight() + 4;
  }
  const y = doc.y;
  doc.font('bold').fontSize(12);
  cell(doc, 'Total', COLUMNS.unitPrice, y);
  cell(doc, format.money(invoice.totalMinor), COLUMNS.amount, y);
  doc.x = MARGIN;
}

function cell(doc: Doc, text: string, column: { x: number; width: number }, y: number): void {
  doc.text(text, column.x, y, { width: column.width, align: 'right', lineBreak: false });
}

/** Money and dates as the business shows them; a locale this runtime cannot use falls back to English. */
function formattersFor(invoice: InvoiceDetailView): Formatters {
  const money = (amountMinor: number) => {
    try {
      return formatMoney(amountMinor, invoice.currency, invoice.locale);
    } catch {
      return formatMoney(amountMinor, invoice.currency, 'en');
    }
  };
  const date = (iso: string) => {
    const at = new Date(iso);
    try {
      return new Intl.DateTimeFormat(invoice.locale, { dateStyle: 'long', timeZone: invoice.timezone }).format(at);
    } catch {
      return new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(at);
    }
  };
  return { money, date };
}

function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    doc.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PDF_BYTES) chunks.push(chunk);
    });
    doc.on('error', reject);
    doc.on('end', () => {
      if (size > MAX_PDF_BYTES) reject(new RangeError(`Invoice PDF exceeds ${MAX_PDF_BYTES} bytes`));
      else resolve(Buffer.concat(chunks));
    });
  });
}

const requireFrom = createRequire(import.meta.url);
let fontFiles: Promise<{ regular: Buffer; bold: Buffer }> | undefined;

/** Read once per process; a failed read is retried on the next render rather than cached. */
function loadFonts(): Promise<{ regular: Buffer; bold: Buffer }> {
  fontFiles ??= Promise.all([
    readFile(requireFrom.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    readFile(requireFrom.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  ]).then(
    ([regular, bold]) => ({ regular, bold }),
    (error: unknown) => {
      fontFiles = undefined;
      throw error;
    },
  );
  return fontFiles;
}
