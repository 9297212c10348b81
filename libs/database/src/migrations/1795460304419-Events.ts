import { MigrationInterface, QueryRunner } from "typeorm";

export class Events1795460304419 implements MigrationInterface {
    name = 'Events1795460304419'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "events" (
                "consultation_id" uuid NOT NULL,
                "seq" bigint NOT NULL,
                "type" character varying(48) NOT NULL,
                "audience" character varying(16) NOT NULL,
                "subject_user_id" uuid,
                "prev_public_seq" bigint NOT NULL,
                "data" jsonb NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b6597e0f55063f71dba21cff2d4" PRIMARY KEY ("consultation_id", "seq")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "ix_events_subject" ON "events" ("consultation_id", "subject_user_id", "seq")
        `);
        await queryRunner.query(`
            CREATE TABLE "event_counters" (
                "consultation_id" uuid NOT NULL,
                "last" bigint NOT NULL,
                "last_public" bigint NOT NULL,
                "prev_public" bigint NOT NULL,
                CONSTRAINT "PK_9abea8a5fe9874fb3eb97a46ee5" PRIMARY KEY ("consultation_id")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "events"
            ADD CONSTRAINT "fk_events_consultation" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
        // The outbox is part of the record: the database refuses to change or remove an event.
        await queryRunner.query(`
            CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON "events"
            FOR EACH ROW EXECUTE FUNCTION plenary_refuse_change()
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER events_append_only ON "events"`);
        await queryRunner.query(`
            ALTER TABLE "events" DROP CONSTRAINT "fk_events_consultation"
        `);
        await queryRunner.query(`
            DROP TABLE "event_counters"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."ix_events_subject"
        `);
        await queryRunner.query(`
            DROP TABLE "events"
        `);
    }

}
