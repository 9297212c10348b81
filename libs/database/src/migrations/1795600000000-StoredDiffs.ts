import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An amendment's word diff against its paragraph is computed once, when it is submitted or edited, and stored:
 * computing it on every read made one listing of long amendments take seconds. Rows written before this
 * migration keep NULL and are diffed when read (see mapContribution).
 */
export class StoredDiffs1795600000000 implements MigrationInterface {
  name = 'StoredDiffs1795600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "contributions" ADD "diff" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "contributions" DROP COLUMN "diff"`);
  }
}
