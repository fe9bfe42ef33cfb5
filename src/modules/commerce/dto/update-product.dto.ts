import { PartialType } from '@nestjs/swagger';
import { CreateProductDto } from './create-product.dto.js';

/**
 * Every field optional. `skipNullProperties: false` keeps null refused for the fields that
 * cannot be empty (name, price, currency, active); description, sku and stock accept null
 * to clear them (`stock: null` stops tracking).
 */
export class UpdateProductDto extends PartialType(CreateProductDto, { skipNullProperties: false }) {}
