import { MigrationInterface, QueryRunner } from "typeorm";

export class Moderation1795462228477 implements MigrationInterface {
    name = 'Moderation1795462228477'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "audit_entries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "consultation_id" uuid,
                "actor_id" uuid NOT NULL,
                "actor_name" character varying(120) NOT NULL,
                "action" character varying(48) NOT NULL,
                "subject_type" character varying(24) NOT NULL,
                "subject_id" character varying(64) NOT NULL,
                "reason" text NOT NULL DEFAULT '',
                "before" jsonb,
                "after" jsonb,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6b1623bcad4d04530b76548d619" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_audit_consultation" ON "audit_entries" ("consultation_id", "at")
        `);
        await queryRunner.query(`
            CREATE TABLE "moderation_decisions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "contribution_id" uuid NOT NULL,
                "consultation_id" uuid NOT NULL,
                "action" character varying(16) NOT NULL,
                "reason" character varying(32) NOT NULL,
                "note" text NOT NULL DEFAULT '',
                "from_status" character varying(16) NOT NULL,
                "to_status" character varying(16) NOT NULL,
                "actor_id" uuid NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2e82d086a52c4233bcb60bc5b67" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_decisions_contribution" ON "moderation_decisions" ("contribution_id", "at")
        `);
        await queryRunner.query(`
            CREATE TABLE "flags" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "contribution_id" uuid NOT NULL,
                "consultation_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "reason" character varying(24) NOT NULL,
                "note" text NOT NULL DEFAULT '',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "outcome" character varying(16),
                "resolved_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_ea7e333c92a55de9e9b8d0b9afd" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_flags_consultation" ON "flags" ("consultation_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_flags_user" ON "flags" ("contribution_id", "user_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "dispositions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "contribution_id" uuid NOT NULL,
                "consultation_id" uuid NOT NULL,
                "cluster_id" uuid,
                "disposition" character varying(24) NOT NULL,
                "response" text NOT NULL,
                "resulting_paragraph_id" uuid,
                "actor_id" uuid NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_910039d536836fd1ec73c6d7424" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_dispositions_contribution" ON "dispositions" ("contribution_id", "at")
        `);
        await queryRunner.query(`
            CREATE TABLE "fingerprints" (
                "contribution_id" uuid NOT NULL,
                "consultation_id" uuid NOT NULL,
                "exact_hash" character(64) NOT NULL,
                "signature" integer array NOT NULL,
                "buckets" integer array NOT NULL,
                CONSTRAINT "PK_aea0fe57051470bd9294fc96995" PRIMARY KEY ("contribution_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_fingerprints_exact" ON "fingerprints" ("consultation_id", "exact_hash")
        `);
        await queryRunner.query(`
            CREATE TABLE "clusters" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "consultation_id" uuid NOT NULL,
                "kind" character varying(8) NOT NULL,
                "status" character varying(12) NOT NULL,
                "representative_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "confirmed_at" TIMESTAMP WITH TIME ZONE,
                "confirmed_by" uuid,
                CONSTRAINT "PK_56c8e201f375e1e961dcdd6831c" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_clusters_consultation" ON "clusters" ("consultation_id", "status")
        `);
        await queryRunner.query(`
            CREATE TABLE "cluster_members" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "cluster_id" uuid NOT NULL,
                "contribution_id" uuid NOT NULL,
                "similarity" real NOT NULL,
                "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "removed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_886f5f9ac169223cf9166a0931b" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_cluster_members_cluster" ON "cluster_members" ("cluster_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_cluster_members_active" ON "cluster_members" ("contribution_id")
            WHERE removed_at IS NULL
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD "moderation_reason" character varying(32)
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD "moderation_note" text
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD "moderated_at" TIMESTAMP WITH TIME ZONE
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD "review" character varying(16)
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD "flag_count" integer NOT NULL DEFAULT '0'
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD "disposition" character varying(24)
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD "disposition_response" text
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD "disposed_at" TIMESTAMP WITH TIME ZONE
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions"
            ADD "resulting_paragraph_id" uuid
        `);
        // LSH candidates: a GIN index over each fingerprint's band buckets, updated at once (no pending list to scan).
        await queryRunner.query(`CREATE INDEX "ix_fingerprints_buckets" ON "fingerprints" USING gin ("buckets") WITH (fastupdate = off)`);
        // The record of decisions: the database refuses to change or remove it.
        for (const table of ['audit_entries', 'moderation_decisions', 'dispositions']) {
            await queryRunner.query(`
                CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON "${table}"
                FOR EACH ROW EXECUTE FUNCTION plenary_refuse_change()
            `);
        }
        // Flags get an outcome later, but are never removed.
        await queryRunner.query(`
            CREATE TRIGGER flags_no_delete BEFORE DELETE ON "flags" FOR EACH ROW EXECUTE FUNCTION plenary_refuse_delete()
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER flags_no_delete ON "flags"`);
        for (const table of ['audit_entries', 'moderation_decisions', 'dispositions']) await queryRunner.query(`DROP TRIGGER ${table}_append_only ON "${table}"`);
        await queryRunner.query(`DROP INDEX "public"."ix_fingerprints_buckets"`);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP COLUMN "resulting_paragraph_id"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP COLUMN "disposed_at"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP COLUMN "disposition_response"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP COLUMN "disposition"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP COLUMN "flag_count"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP COLUMN "review"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP COLUMN "moderated_at"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP COLUMN "moderation_note"
        `);
        await queryRunner.query(`
            ALTER TABLE "contributions" DROP COLUMN "moderation_reason"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_cluster_members_active"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_cluster_members_cluster"
        `);
        await queryRunner.query(`
            DROP TABLE "cluster_members"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_clusters_consultation"
        `);
        await queryRunner.query(`
            DROP TABLE "clusters"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_fingerprints_exact"
        `);
        await queryRunner.query(`
            DROP TABLE "fingerprints"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_dispositions_contribution"
        `);
        await queryRunner.query(`
            DROP TABLE "dispositions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_flags_user"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_flags_consultation"
        `);
        await queryRunner.query(`
            DROP TABLE "flags"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_decisions_contribution"
        `);
        await queryRunner.query(`
            DROP TABLE "moderation_decisions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_audit_consultation"
        `);
        await queryRunner.query(`
            DROP TABLE "audit_entries"
        `);
    }

}
