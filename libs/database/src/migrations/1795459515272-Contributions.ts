import { MigrationInterface, QueryRunner } from "typeorm";

export class Contributions1795459515272 implements MigrationInterface {
    name = 'Contributions1795459515272'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "contributions" (
                "id" uuid NOT NULL,
                "seq" bigint NOT NULL,
                "tx" bigint NOT NULL,
                "tracking_number" character varying(40) NOT NULL,
                "consultation_id" uuid NOT NULL,
                "round_id" uuid NOT NULL,
                "round_number" integer NOT NULL,
                "document_id" uuid NOT NULL,
                "version_id" uuid NOT NULL,
                "version_number" integer NOT NULL,
                "paragraph_id" uuid,
                "paragraph_label" character varying(40),
                "lineage_key" uuid,
                "kind" character varying(16) NOT NULL,
                "parent_id" uuid,
                "thread_root_id" uuid,
                "depth" integer NOT NULL DEFAULT '0',
                "status" character varying(16) NOT NULL,
                "body" text NOT NULL,
                "proposed_text" text,
                "on_behalf_of" character varying(200),
                "content_hash" character(64) NOT NULL,
                "author_id" uuid NOT NULL,
                "author_name" character varying(120) NOT NULL,
                "author_group" character varying(32) NOT NULL,
                "author_organisation" character varying(200) NOT NULL,
                "author_country" character(2) NOT NULL,
                "author_region" character varying(32) NOT NULL,
                "author_capacity" character varying(16) NOT NULL,
                "author_verified" boolean NOT NULL,
                "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "edited_at" TIMESTAMP WITH TIME ZONE,
                "edit_count" integer NOT NULL DEFAULT '0',
                "withdrawn_at" TIMESTAMP WITH TIME ZONE,
                "endorsement_count" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_ca2b4f39eb9e32a61278c711f79" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_contributions_seq" ON "contributions" ("seq")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_contributions_tracking" ON "contributions" ("tracking_number")
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_contributions_parent" ON "contributions" ("parent_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_contributions_status" ON "contributions" ("consultation_id", "status", "tx", "seq")
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_contributions_author" ON "contributions" ("author_id", "tx", "seq")
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_contributions_lineage" ON "contributions" ("document_id", "lineage_key", "seq")
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_contributions_listing" ON "contributions" ("consultation_id", "tx", "seq")
        `);
        await queryRunner.query(`
            CREATE TABLE "contribution_revisions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "contribution_id" uuid NOT NULL,
                "revision" integer NOT NULL,
                "body" text NOT NULL,
                "proposed_text" text,
                "on_behalf_of" character varying(200),
                "content_hash" character(64) NOT NULL,
                "status" character varying(16) NOT NULL,
                "written_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "replaced_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_24bf0b5f641fd355e6ef7250904" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_contribution_revisions" ON "contribution_revisions" ("contribution_id", "revision")
        `);
        await queryRunner.query(`
            CREATE TABLE "endorsements" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "contribution_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "user_group" character varying(32) NOT NULL,
                "user_region" character varying(32) NOT NULL,
                "user_country" character(2) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "withdrawn_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_c7a21592bc1b39fabf5ba56f738" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_endorsements_user" ON "endorsements" ("user_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_endorsements_active" ON "endorsements" ("contribution_id", "user_id")
            WHERE withdrawn_at IS NULL
        `);
        await queryRunner.query(`
            CREATE TABLE "idempotency_keys" (
                "user_id" uuid NOT NULL,
                "key" character varying(200) NOT NULL,
                "request_hash" character(64) NOT NULL,
                "contribution_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_392b1af86f210d98d3f0c764728" PRIMARY KEY ("user_id", "key")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_idempotency_keys_created" ON "idempotency_keys" ("created_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD CONSTRAINT "fk_contributions_consultation" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD CONSTRAINT "fk_contributions_round" FOREIGN KEY ("round_id") REFERENCES "rounds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD CONSTRAINT "fk_contributions_document" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD CONSTRAINT "fk_contributions_version" FOREIGN KEY ("version_id") REFERENCES "document_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD CONSTRAINT "fk_contributions_paragraph" FOREIGN KEY ("paragraph_id") REFERENCES "paragraphs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD CONSTRAINT "fk_contributions_parent" FOREIGN KEY ("parent_id") REFERENCES "contributions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD CONSTRAINT "fk_contributions_author" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "contribution_revisions"
            ADD CONSTRAINT "fk_revisions_contribution" FOREIGN KEY ("contribution_id") REFERENCES "contributions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "endorsements"
            ADD CONSTRAINT "fk_endorsements_contribution" FOREIGN KEY ("contribution_id") REFERENCES "contributions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "endorsements"
            ADD CONSTRAINT "fk_endorsements_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        // Arrival order of contributions (tracking numbers have one sequence per round, made on first use).
        await queryRunner.query(`CREATE SEQUENCE contribution_seq`);
        // Full-text search: a GIN index on the expression the repository queries (SEARCH_VECTOR).
        await queryRunner.query(`
            CREATE INDEX "ix_contributions_search" ON "contributions"
            USING gin (to_tsvector('english', body || ' ' || coalesce(proposed_text, '') || ' ' || coalesce(on_behalf_of, '') || ' ' || author_organisation))
        `);
        // Earlier texts are evidence: the database refuses to change or remove them.
        await queryRunner.query(`
            CREATE TRIGGER contribution_revisions_append_only BEFORE UPDATE OR DELETE ON "contribution_revisions"
            FOR EACH ROW EXECUTE FUNCTION plenary_refuse_change()
        `);
        // Contributions and endorsements are never removed (their status changes instead).
        await queryRunner.query(`
            CREATE FUNCTION plenary_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'rows of % are kept in the record and cannot be deleted', TG_TABLE_NAME USING ERRCODE = 'P0001';
            END $$
        `);
        for (const table of ['contributions', 'endorsements']) {
            await queryRunner.query(`
                CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON "${table}"
                FOR EACH ROW EXECUTE FUNCTION plenary_refuse_delete()
            `);
        }
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const table of ['contributions', 'endorsements']) await queryRunner.query(`DROP TRIGGER ${table}_no_delete ON "${table}"`);
        await queryRunner.query(`DROP FUNCTION plenary_refuse_delete()`);
        await queryRunner.query(`DROP TRIGGER contribution_revisions_append_only ON "contribution_revisions"`);
        await queryRunner.query(`DROP INDEX "public"."ix_contributions_search"`);
        await queryRunner.query(`DROP SEQUENCE contribution_seq`);
        await queryRunner.query(`
            ALTER TABLE "endorsements" DROP CONSTRAINT "fk_endorsements_user"
        `);
        await queryRunner.query(`
            ALTER TABLE "endorsements" DROP CONSTRAINT "fk_endorsements_contribution"
        `);
        await queryRunner.query(`
            ALTER TABLE "contribution_revisions" DROP CONSTRAINT "fk_revisions_contribution"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP CONSTRAINT "fk_contributions_author"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP CONSTRAINT "fk_contributions_parent"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP CONSTRAINT "fk_contributions_paragraph"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP CONSTRAINT "fk_contributions_version"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP CONSTRAINT "fk_contributions_document"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP CONSTRAINT "fk_contributions_round"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP CONSTRAINT "fk_contributions_consultation"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_idempotency_keys_created"
        `);
        await queryRunner.query(`
            DROP TABLE "idempotency_keys"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_endorsements_active"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_endorsements_user"
        `);
        await queryRunner.query(`
            DROP TABLE "endorsements"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_contribution_revisions"
        `);
        await queryRunner.query(`
            DROP TABLE "contribution_revisions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_contributions_listing"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_contributions_lineage"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_contributions_author"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_contributions_status"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_contributions_parent"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_contributions_tracking"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_contributions_seq"
        `);
        await queryRunner.query(`
            DROP TABLE "contributions"
        `);
    }

}
