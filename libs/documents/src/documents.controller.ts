import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Principal, Public } from '@plenary/accounts';
import { CommonErrors, UuidParam } from '@plenary/core';
import { DocumentsService } from './documents.service';
import { DiffQueryDto, ImportDocumentDto, PublishVersionDto } from './dto/document.dto';
import {
  DiffResponse,
  DocumentResponse,
  DocumentSummaryResponse,
  ImportResponse,
  RevisionPreviewResponse,
} from './dto/document.response';

const versionNumber = new ParseIntPipe({
  exceptionFactory: () =>
    CommonErrors.validation('n must be a version number such as 1 or 2.', {
      fields: [{ field: 'n', problems: ['not a number'] }],
    }),
});

@ApiTags('documents')
@Controller('api')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  /** Chairs of this consultation and admins: import a draft (markdown, text, or docx as base64). */
  @Post('consultations/:id/documents')
  @Authenticated()
  @ApiCreatedResponse({ type: ImportResponse })
  import(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: ImportDocumentDto) {
    return this.documents.import(id, p, dto);
  }

  /** Anyone who may read the consultation: its documents, oldest first, each with its versions. */
  @Get('consultations/:id/documents')
  @Public()
  @ApiOkResponse({ type: [DocumentSummaryResponse] })
  list(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal | undefined) {
    return this.documents.list(id, p);
  }

  @Get('documents/:id')
  @Public()
  @ApiOkResponse({ type: DocumentResponse })
  get(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal | undefined) {
    return this.documents.get(id, p);
  }

  @Get('documents/:id/versions/:n')
  @Public()
  @ApiOkResponse({ type: DocumentResponse })
  version(
    @Param('id', UuidParam()) id: string,
    @Param('n', versionNumber) n: number,
    @CurrentUser() p: Principal | undefined,
  ) {
    return this.documents.get(id, p, n);
  }

  @Get('documents/:id/diff')
  @Public()
  @ApiOkResponse({ type: DiffResponse })
  async diff(@Param('id', UuidParam()) id: string, @Query() q: DiffQueryDto, @CurrentUser() p: Principal | undefined) {
    if (q.format !== 'docx') return this.documents.diff(id, p, q.from, q.to);
    const { buffer, filename } = await this.documents.diffDocx(id, p, q.from, q.to);
    return new StreamableFile(buffer, {
      type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      disposition: `attachment; filename="${filename}"`,
    });
  }

  /** Chairs of the document's consultation and admins: publish the next version. */
  @Post('documents/:id/versions')
  @Authenticated()
  @ApiCreatedResponse({ type: ImportResponse })
  publish(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: PublishVersionDto) {
    return this.documents.publish(id, p, dto);
  }

  /** Chairs: the lineage publishing this text would assign, to correct before publishing. Nothing is written. */
  @Post('documents/:id/versions/preview')
  @Authenticated()
  @HttpCode(200)
  @ApiOkResponse({ type: RevisionPreviewResponse })
  preview(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: PublishVersionDto) {
    return this.documents.preview(id, p, dto);
  }
}
