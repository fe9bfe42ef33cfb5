import { Module } from '@nestjs/common';

/** Meta's deauthorize and data-deletion callbacks, and the public deletion status page. */
@Module({})
export class MetaCallbacksModule {}
