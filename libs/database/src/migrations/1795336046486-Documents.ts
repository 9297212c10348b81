import { MigrationInterface, QueryRunner } from "typeorm";

export class Documents1795336046486 implements MigrationInterface {
    name = 'Documents1795336046486'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "consultations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" character varying(16) NOT NULL,
                "title" character varying(300) NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "moderation_policy" character varying(8) NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'draft',
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_c5b78e9424d9bc68464f6a12103" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_consultations_code" ON "consultations" ("code")
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_consultations_status" ON "consultations" ("status")
        `);
        await queryRunner.query(`
            CREATE TABLE "consultation_members" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "consultation_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "role" character varying(16) NOT NULL,
                "added_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_e0481fdedd634c2066387ab6b61" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_consultation_members_lookup" ON "consultation_members" ("consultation_id", "user_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "documents" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "consultation_id" uuid NOT NULL,
                "title" character varying(300) NOT NULL,
                "current_version" integer NOT NULL DEFAULT '1',
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ac51aa5181ee2036f5ca482857c" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_documents_consultation" ON "documents" ("consultation_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "document_versions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "document_id" uuid NOT NULL,
                "number" integer NOT NULL,
                "title" character varying(300) NOT NULL,
                "front_matter" jsonb NOT NULL DEFAULT '[]',
                "notes" jsonb NOT NULL DEFAULT '[]',
                "revision_note" text NOT NULL DEFAULT '',
                "source_format" character varying(16) NOT NULL,
                "import_report" jsonb NOT NULL,
                "published_by" uuid NOT NULL,
                "published_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_baf26dab035c6d6fc433f9dc6a2" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_document_versions_number" ON "document_versions" ("document_id", "number")
        `);
        await queryRunner.query(`
            CREATE TABLE "sections" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "version_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "heading" text,
                CONSTRAINT "PK_f9749dd3bffd880a497d007e450" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_sections_version" ON "sections" ("version_id", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "paragraphs" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "version_id" uuid NOT NULL,
                "section_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "label" character varying(40) NOT NULL,
                "kind" character varying(16) NOT NULL,
                "text" text NOT NULL,
                "footnotes" jsonb NOT NULL DEFAULT '[]',
                "lineage_key" uuid NOT NULL,
                CONSTRAINT "PK_31041595073b54a7816865eba74" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_paragraphs_lineage" ON "paragraphs" ("lineage_key")
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_paragraphs_version" ON "paragraphs" ("version_id", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "rounds" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "consultation_id" uuid NOT NULL,
                "document_id" uuid NOT NULL,
                "version_id" uuid NOT NULL,
                "number" integer NOT NULL,
                "opens_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "closes_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "closed_early_at" TIMESTAMP WITH TIME ZONE,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_9d254884a20817016e2f877c7e7" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_rounds_document" ON "rounds" ("document_id", "opens_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_rounds_number" ON "rounds" ("consultation_id", "number")
        `);
        await queryRunner.query(`
            CREATE TABLE "round_changes" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "round_id" uuid NOT NULL,
                "action" character varying(16) NOT NULL,
                "actor_id" uuid NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "before" jsonb,
                "after" jsonb NOT NULL,
                "reason" text NOT NULL DEFAULT '',
                CONSTRAINT "PK_7fdaefe9d0cbb2c191f994b1479" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_round_changes_round" ON "round_changes" ("round_id", "at")
        `);
        await queryRunner.query(`
            ALTER TABLE "consultations"
            ADD CONSTRAINT "fk_consultations_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "consultation_members"
            ADD CONSTRAINT "fk_members_consultation" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "consultation_members"
            ADD CONSTRAINT "fk_members_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "documents"
            ADD CONSTRAINT "fk_documents_consultation" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "document_versions"
            ADD CONSTRAINT "fk_versions_document" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "sections"
            ADD CONSTRAINT "fk_sections_version" FOREIGN KEY ("version_id") REFERENCES "document_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "paragraphs"
            ADD CONSTRAINT "fk_paragraphs_version" FOREIGN KEY ("version_id") REFERENCES "document_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "paragraphs"
            ADD CONSTRAINT "fk_paragraphs_section" FOREIGN KEY ("section_id") REFERENCES "sections"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "rounds"
            ADD CONSTRAINT "fk_rounds_consultation" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "rounds"
            ADD CONSTRAINT "fk_rounds_document" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "rounds"
            ADD CONSTRAINT "fk_rounds_version" FOREIGN KEY ("version_id") REFERENCES "document_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "round_changes"
            ADD CONSTRAINT "fk_round_changes_round" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        // Published versions and round history are part of the record: the database refuses to change them.
        await queryRunner.query(`
            CREATE FUNCTION plenary_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% on % is not allowed: this table is append-only', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'P0001';
            END
            $$
        `);
        for (const table of ['document_versions', 'sections', 'paragraphs', 'round_changes']) {
            await queryRunner.query(`
                CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON "${table}"
                FOR EACH ROW EXECUTE FUNCTION plenary_refuse_change()
            `);
        }
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const table of ['document_versions', 'sections', 'paragraphs', 'round_changes']) {
            await queryRunner.query(`DROP TRIGGER ${table}_append_only ON "${table}"`);
        }
        await queryRunner.query(`DROP FUNCTION plenary_refuse_change()`);
        await queryRunner.query(`
            ALTER TABLE "round_changes" DROP CONSTRAINT "fk_round_changes_round"
        `);
        await queryRunner.query(`
            ALTER TABLE "rounds" DROP CONSTRAINT "fk_rounds_version"
        `);
        await queryRunner.query(`
            ALTER TABLE "rounds" DROP CONSTRAINT "fk_rounds_document"
        `);
        await queryRunner.query(`
            ALTER TABLE "rounds" DROP CONSTRAINT "fk_rounds_consultation"
        `);
        await queryRunner.query(`
            ALTER TABLE "paragraphs" DROP CONSTRAINT "fk_paragraphs_section"
        `);
        await queryRunner.query(`
            ALTER TABLE "paragraphs" DROP CONSTRAINT "fk_paragraphs_version"
        `);
        await queryRunner.query(`
            ALTER TABLE "sections" DROP CONSTRAINT "fk_sections_version"
        `);
        await queryRunner.query(`
            ALTER TABLE "document_versions" DROP CONSTRAINT "fk_versions_document"
        `);
        await queryRunner.query(`
            ALTER TABLE "documents" DROP CONSTRAINT "fk_documents_consultation"
        `);
        await queryRunner.query(`
            ALTER TABLE "consultation_members" DROP CONSTRAINT "fk_members_user"
        `);
        await queryRunner.query(`
            ALTER TABLE "consultation_members" DROP CONSTRAINT "fk_members_consultation"
        `);
        await queryRunner.query(`
            ALTER TABLE "consultations" DROP CONSTRAINT "fk_consultations_created_by"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_round_changes_round"
        `);
        await queryRunner.query(`
            DROP TABLE "round_changes"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_rounds_number"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_rounds_document"
        `);
        await queryRunner.query(`
            DROP TABLE "rounds"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_paragraphs_version"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_paragraphs_lineage"
        `);
        await queryRunner.query(`
            DROP TABLE "paragraphs"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_sections_version"
        `);
        await queryRunner.query(`
            DROP TABLE "sections"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_document_versions_number"
        `);
        await queryRunner.query(`
            DROP TABLE "document_versions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_documents_consultation"
        `);
        await queryRunner.query(`
            DROP TABLE "documents"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_consultation_members_lookup"
        `);
        await queryRunner.query(`
            DROP TABLE "consultation_members"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_consultations_status"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_consultations_code"
        `);
        await queryRunner.query(`
            DROP TABLE "consultations"
        `);
    }

}
