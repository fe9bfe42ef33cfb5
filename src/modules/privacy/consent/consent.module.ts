import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module.js';
import { ConsentService } from './consent.service.js';
import { ConsentsController } from './consents.controller.js';
import { ContactConsentsService } from './contact-consents.service.js';

/** Consent per contact and purpose: the API, and the checks other modules make before sending. */
@Module({
  imports: [AuditModule],
  controllers: [ConsentsController],
  providers: [ConsentService, ContactConsentsService],
  exports: [ConsentService],
})
export class ConsentModule {}
