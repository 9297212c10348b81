import { MigrationInterface, QueryRunner } from "typeorm";

export class ParagraphCounts1795470896226 implements MigrationInterface {
    name = 'ParagraphCounts1795470896226'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "paragraph_counts" (
                "document_id" uuid NOT NULL,
                "lineage_key" uuid NOT NULL,
                "published" integer NOT NULL DEFAULT '0',
                "amendments" integer NOT NULL DEFAULT '0',
                "endorsements" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_ac333af7c5b826b620137637066" PRIMARY KEY ("document_id", "lineage_key")
            )
        `);
        // Every contribution updates one of these rows: leave room on each page so the update stays on it (a HOT
        // update, no new index entry), and let autovacuum come often.
        await queryRunner.query(`ALTER TABLE "paragraph_counts" SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000)`);
        // Kept by the database itself, in the same transaction as every insert or change of a contribution, so
        // the document view reads one row per paragraph however many contributions there are.
        await queryRunner.query(`
            CREATE FUNCTION plenary_count_contribution() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                was_p int := 0; was_a int := 0; was_e int := 0;
                now_p int := 0; now_a int := 0; now_e int := 0;
            BEGIN
                IF TG_OP = 'UPDATE' AND OLD.status = 'published' THEN
                    was_p := 1; was_a := (OLD.kind = 'amendment')::int; was_e := OLD.endorsement_count;
                END IF;
                IF NEW.status = 'published' THEN
                    now_p := 1; now_a := (NEW.kind = 'amendment')::int; now_e := NEW.endorsement_count;
                END IF;
                IF now_p = was_p AND now_a = was_a AND now_e = was_e THEN RETURN NULL; END IF;
                INSERT INTO paragraph_counts AS pc (document_id, lineage_key, published, amendments, endorsements)
                VALUES (NEW.document_id, coalesce(NEW.lineage_key, '00000000-0000-0000-0000-000000000000'), now_p - was_p, now_a - was_a, now_e - was_e)
                ON CONFLICT (document_id, lineage_key) DO UPDATE
                   SET published = pc.published + EXCLUDED.published,
                       amendments = pc.amendments + EXCLUDED.amendments,
                       endorsements = pc.endorsements + EXCLUDED.endorsements;
                RETURN NULL;
            END $$
        `);
        await queryRunner.query(`
            CREATE TRIGGER contributions_count AFTER INSERT OR UPDATE OF status, kind, endorsement_count ON contributions
            FOR EACH ROW EXECUTE FUNCTION plenary_count_contribution()
        `);
        await queryRunner.query(`
            INSERT INTO paragraph_counts (document_id, lineage_key, published, amendments, endorsements)
            SELECT document_id, coalesce(lineage_key, '00000000-0000-0000-0000-000000000000'), count(*),
                   count(*) FILTER (WHERE kind = 'amendment'), coalesce(sum(endorsement_count), 0)
              FROM contributions WHERE status = 'published'
             GROUP BY 1, 2
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER contributions_count ON contributions`);
        await queryRunner.query(`DROP FUNCTION plenary_count_contribution()`);
        await queryRunner.query(`
            DROP TABLE "paragraph_counts"
        `);
    }

}
