import { Injectable } from '@nestjs/common';

/** CONTRACT (to be implemented by the privacy-requests work): the stored export archives. */
@Injectable()
export class ExportFiles {
  /** Removes every stored file of the tenant (tenant deletion). */
  async removeTenant(_tenantId: string): Promise<void> {
    throw new Error('not implemented');
  }
}
