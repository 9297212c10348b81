import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentUser, Principal, Public } from '@plenary/accounts';
import { UuidParam } from '@plenary/core';
import { ContributionsService, SubmissionTarget } from './contributions.service';
import {
  CreateContributionDto,
  ListContributionsQuery,
  UpdateContributionDto,
  ThreadQuery,
} from './dto/contribution.dto';
import { ContributionPage, ContributionResponse, ThreadResponse } from './dto/contribution.response';

const idempotencyHeader = ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description:
    'Any unique string (a UUID): a retry with the same key and body within 24 hours returns the first result.',
});

@ApiTags('contributions')
@Controller('api')
export class ContributionsController {
  constructor(private readonly contributions: ContributionsService) {}

  /** Any signed-in account, while a round on the paragraph's version is open. */
  @Post('paragraphs/:id/contributions')
  @Authenticated()
  @idempotencyHeader
  @ApiCreatedResponse({ type: ContributionResponse })
  onParagraph(
    @Param('id', UuidParam()) id: string,
    @CurrentUser() p: Principal,
    @Body() dto: CreateContributionDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit({ paragraphId: id }, p, dto, key, res);
  }

  /** General comments on the whole document (its current version). */
  @Post('documents/:id/contributions')
  @Authenticated()
  @idempotencyHeader
  @ApiCreatedResponse({ type: ContributionResponse })
  onDocument(
    @Param('id', UuidParam()) id: string,
    @CurrentUser() p: Principal,
    @Body() dto: CreateContributionDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.submit({ documentId: id }, p, dto, key, res);
  }

  @Get('paragraphs/:id/contributions')
  @Public()
  @ApiOkResponse({ type: ThreadResponse })
  paragraphThread(
    @Param('id', UuidParam()) id: string,
    @CurrentUser() p: Principal | undefined,
    @Query() q: ThreadQuery,
  ) {
    return this.contributions.paragraphThread(id, p, q);
  }

  @Get('documents/:id/contributions')
  @Public()
  @ApiOkResponse({ type: ThreadResponse, description: 'General comments on the document' })
  documentThread(
    @Param('id', UuidParam()) id: string,
    @CurrentUser() p: Principal | undefined,
    @Query() q: ThreadQuery,
  ) {
    return this.contributions.documentThread(id, p, q);
  }

  @Get('consultations/:id/contributions')
  @Public()
  @ApiOkResponse({ type: ContributionPage })
  list(
    @Param('id', UuidParam()) id: string,
    @CurrentUser() p: Principal | undefined,
    @Query() q: ListContributionsQuery,
  ) {
    return this.contributions.list(id, p, q);
  }

  @Get('contributions/:id')
  @Public()
  @ApiOkResponse({ type: ContributionResponse })
  get(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal | undefined) {
    return this.contributions.get(id, p);
  }

  /** The author only, while the round is open. */
  @Patch('contributions/:id')
  @Authenticated()
  @ApiOkResponse({ type: ContributionResponse })
  edit(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: UpdateContributionDto) {
    return this.contributions.edit(id, p, dto);
  }

  /** The author only, while the round is open. */
  @Post('contributions/:id/withdraw')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: ContributionResponse })
  withdraw(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal) {
    return this.contributions.withdraw(id, p);
  }

  @Post('contributions/:id/endorsements')
  @Authenticated()
  @ApiCreatedResponse({ type: ContributionResponse })
  endorse(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal) {
    return this.contributions.endorse(id, p);
  }

  @Delete('contributions/:id/endorsements')
  @Authenticated()
  @ApiOkResponse({ type: ContributionResponse })
  unendorse(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal) {
    return this.contributions.unendorse(id, p);
  }

  private async submit(
    target: SubmissionTarget,
    p: Principal,
    dto: CreateContributionDto,
    key: string | undefined,
    res: Response,
  ) {
    const { contribution, replayed } = await this.contributions.submit(target, p, dto, key);
    res.setHeader('Location', `/api/contributions/${contribution.id}`);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return contribution;
  }
}
