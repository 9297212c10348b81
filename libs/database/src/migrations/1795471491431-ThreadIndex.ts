import { MigrationInterface, QueryRunner } from "typeorm";

export class ThreadIndex1795471491431 implements MigrationInterface {
    name = 'ThreadIndex1795471491431'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE INDEX "ix_contributions_thread_root" ON "contributions" ("thread_root_id", "seq")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."ix_contributions_thread_root"
        `);
    }

}
