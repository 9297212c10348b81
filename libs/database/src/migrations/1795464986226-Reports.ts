import { MigrationInterface, QueryRunner } from "typeorm";

export class Reports1795464986226 implements MigrationInterface {
    name = 'Reports1795464986226'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "reports" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "consultation_id" uuid NOT NULL,
                "round_id" uuid,
                "inputs" json NOT NULL,
                "data" json NOT NULL,
                "content_hash" character(64) NOT NULL,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d9013193989303580053c0b5ef6" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_reports_consultation" ON "reports" ("consultation_id", "created_at")
        `);
        // A report is cited by its hash: the database refuses to change or remove one.
        await queryRunner.query(`
            CREATE TRIGGER reports_append_only BEFORE UPDATE OR DELETE ON "reports"
            FOR EACH ROW EXECUTE FUNCTION plenary_refuse_change()
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER reports_append_only ON "reports"`);
        await queryRunner.query(`
            DROP INDEX "public"."ix_reports_consultation"
        `);
        await queryRunner.query(`
            DROP TABLE "reports"
        `);
    }

}
