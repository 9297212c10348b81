import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Principal, Public, Roles } from '@plenary/accounts';
import { UuidParam } from '@plenary/core';
import { ConsultationsService } from './consultations.service';
import {
  AddMemberDto,
  ConsultationResponse,
  CreateConsultationDto,
  MemberResponse,
  UpdateConsultationDto,
} from './dto/consultation.dto';

@ApiTags('consultations')
@Controller('api/consultations')
export class ConsultationsController {
  constructor(private readonly consultations: ConsultationsService) {}

  @Post()
  @Roles('chair')
  @ApiCreatedResponse({ type: ConsultationResponse })
  create(@CurrentUser() p: Principal, @Body() dto: CreateConsultationDto) {
    return this.consultations.create(p, dto);
  }

  @Get()
  @Public()
  @ApiOkResponse({ type: [ConsultationResponse] })
  list(@CurrentUser() p: Principal | undefined) {
    return this.consultations.list(p);
  }

  @Get(':id')
  @Public()
  @ApiOkResponse({ type: ConsultationResponse })
  get(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal | undefined) {
    return this.consultations.get(id, p);
  }

  /** Chairs of this consultation and admins (checked by the service). */
  @Patch(':id')
  @Authenticated()
  @ApiOkResponse({ type: ConsultationResponse })
  update(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: UpdateConsultationDto) {
    return this.consultations.update(id, p, dto);
  }

  /** Moderators and chairs of this consultation, and admins. */
  @Get(':id/members')
  @Authenticated()
  @ApiOkResponse({ type: [MemberResponse] })
  members(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal) {
    return this.consultations.members(id, p);
  }

  /** Chairs of this consultation and admins. */
  @Post(':id/members')
  @Authenticated()
  @ApiCreatedResponse({ type: [MemberResponse] })
  addMember(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: AddMemberDto) {
    return this.consultations.addMember(id, p, dto);
  }

  /** Chairs of this consultation and admins: ends a member's roles here (the record keeps them, revoked). */
  @Delete(':id/members/:userId')
  @Authenticated()
  @ApiOkResponse({ type: [MemberResponse] })
  removeMember(
    @Param('id', UuidParam()) id: string,
    @Param('userId', UuidParam('userId')) userId: string,
    @CurrentUser() p: Principal,
  ) {
    return this.consultations.removeMember(id, p, userId);
  }
}
