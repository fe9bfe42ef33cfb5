import { Module } from '@nestjs/common';
import { ConsentService } from './consent.service.js';

/** Consent per contact and purpose: the API, and the checks other modules make before sending. */
@Module({
  providers: [ConsentService],
  exports: [ConsentService],
})
export class ConsentModule {}
