import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { CurrentUser, Principal, Public } from '@plenary/accounts';
import { IsOmittable, PageLimit, UuidParam } from '@plenary/core';
import { EventDelivery } from './event-delivery';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;

export class EventsQuery {
  @ApiPropertyOptional({ description: 'The last seq the client has; 0 or absent for everything', default: 0 })
  @IsOmittable()
  @Transform(toInt)
  @IsInt({ message: 'after must be a whole number (the last seq you have)' })
  @Min(0, { message: 'after must be a whole number (the last seq you have)' })
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500 })
  @PageLimit(1000)
  limit?: number;
}

export class EventResponse {
  @ApiProperty() seq: number;
  @ApiProperty({ example: 'contribution.published' }) type: string;
  @ApiProperty() consultationId: string;
  @ApiProperty({
    description: 'The previous event in the caller’s stream; a client that has not seen it has missed something',
  })
  prev: number | null;
  @ApiProperty() at: string;
  @ApiProperty({
    description:
      'Ids, places, statuses and counts. Contribution events also carry `contribution`: the contribution as the caller may see it now (null when they may not), so a later hide or edit shows on every stream',
  })
  data: Record<string, unknown>;
}

export class EventsPage {
  @ApiProperty({ type: [EventResponse] }) events: EventResponse[];
  @ApiProperty({
    description: 'The newest seq of the caller’s stream: when the last event has it, the client is up to date',
  })
  head: number;
}

@ApiTags('events')
@Controller('api')
export class EventsController {
  constructor(private readonly delivery: EventDelivery) {}

  /** What a client missed, filtered by what the caller may see. */
  @Get('consultations/:id/events')
  @Public()
  @ApiOkResponse({ type: EventsPage })
  after(
    @Param('id', UuidParam()) id: string,
    @Query() q: EventsQuery,
    @CurrentUser() p: Principal | undefined,
  ): Promise<EventsPage> {
    return this.delivery.after(id, p, q.after ?? 0, q.limit ?? 500);
  }
}
