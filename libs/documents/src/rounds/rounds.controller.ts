import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Principal, Public } from '@plenary/accounts';
import { UuidParam } from '@plenary/core';
import { CreateRoundDto, UpdateRoundDto } from '../dto/document.dto';
import { RoundResponse, RoundsService } from './rounds.service';

@ApiTags('rounds')
@Controller('api')
export class RoundsController {
  constructor(private readonly rounds: RoundsService) {}

  @Get('consultations/:id/rounds')
  @Public()
  @ApiOkResponse({ type: [RoundResponse] })
  list(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal | undefined) {
    return this.rounds.list(id, p);
  }

  /** Chairs of this consultation and admins. */
  @Post('consultations/:id/rounds')
  @Authenticated()
  @ApiCreatedResponse({ type: RoundResponse })
  create(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: CreateRoundDto) {
    return this.rounds.create(id, p, dto);
  }

  /** Chairs of the round's consultation and admins: extend or close early. */
  @Patch('rounds/:id')
  @Authenticated()
  @ApiOkResponse({ type: RoundResponse })
  update(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: UpdateRoundDto) {
    return this.rounds.update(id, p, dto);
  }
}
