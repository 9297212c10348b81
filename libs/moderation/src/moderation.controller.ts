import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Principal, Public } from '@plenary/accounts';
import { UuidParam } from '@plenary/core';
import { ClustersService } from './clusters/clusters.service';
import { DispositionsService } from './dispositions.service';
import {
  AuditQuery,
  BulkDecisionDto,
  DecisionDto,
  DispositionDto,
  FlagDto,
  MatrixQuery,
  QueueQuery,
  SplitDto,
} from './dto/moderation.dto';
import { ModerationService } from './moderation.service';

/** Moderators and chairs of the consultation concerned (checked by the services), admins; flags: anyone signed in. */
@ApiTags('moderation')
@Controller('api')
export class ModerationController {
  constructor(
    private readonly moderation: ModerationService,
    private readonly clusters: ClustersService,
    private readonly dispositions: DispositionsService,
  ) {}

  @Get('consultations/:id/moderation/queue')
  @Authenticated()
  queue(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Query() q: QueueQuery) {
    return this.moderation.queue(id, p, q);
  }

  @Post('contributions/:id/decisions')
  @Authenticated()
  @HttpCode(200)
  decide(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: DecisionDto) {
    return this.moderation.decide(id, p, dto);
  }

  /** The bulk form: up to 500 contributions of this consultation, one result each. */
  @Post('consultations/:id/decisions')
  @Authenticated()
  @HttpCode(200)
  decideMany(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: BulkDecisionDto) {
    return this.moderation.decideMany(id, p, dto);
  }

  @Post('contributions/:id/flags')
  @Authenticated()
  flag(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: FlagDto) {
    return this.moderation.flag(id, p, dto);
  }

  @Get('consultations/:id/audit')
  @Authenticated()
  audit(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Query() q: AuditQuery) {
    return this.moderation.auditTrail(id, p, q);
  }

  @Get('consultations/:id/clusters')
  @Authenticated()
  listClusters(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal) {
    return this.clusters.list(id, p);
  }

  /** The full re-clustering job. */
  @Post('consultations/:id/clusters/recompute')
  @Authenticated()
  @HttpCode(200)
  recompute(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal) {
    return this.clusters.recompute(id, p);
  }

  @Get('clusters/:id')
  @Authenticated()
  cluster(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal) {
    return this.clusters.get(id, p);
  }

  @Post('clusters/:id/confirm')
  @Authenticated()
  @HttpCode(200)
  confirm(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal) {
    return this.clusters.confirm(id, p);
  }

  @Post('clusters/:id/split')
  @Authenticated()
  @HttpCode(200)
  split(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: SplitDto) {
    return this.clusters.split(id, p, dto.contributionIds);
  }

  @Put('contributions/:id/disposition')
  @Authenticated()
  dispose(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: DispositionDto) {
    return this.dispositions.forContribution(id, p, dto);
  }

  @Put('clusters/:id/disposition')
  @Authenticated()
  disposeCluster(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: DispositionDto) {
    return this.dispositions.forCluster(id, p, dto);
  }

  /** Moderators and chairs: every contribution but withdrawn ones; everyone else: the published ones. */
  @Get('consultations/:id/matrix')
  @Public()
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ description: 'JSON rows, or CSV with format=csv' })
  async matrix(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal | undefined, @Query() q: MatrixQuery) {
    if (q.format !== 'csv') return { rows: await this.dispositions.matrix(id, p, q.document) };
    const csv = await this.dispositions.matrixCsv(id, p, q.document);
    return new StreamableFile(csv, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="resolution-matrix-${id}.csv"`,
    });
  }
}
