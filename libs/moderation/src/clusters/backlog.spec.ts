import { openConsultation, participant, startTestApp, type TestApp, withRoles } from '../../../../test/support';
import { ClustersService } from './clusters.service';

/** Under a burst the incremental checks fall behind; past the backlog limit the full job runs instead, by itself. */
describe('duplicate detection under a burst', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CLUSTER_BACKLOG_LIMIT: '2', SUBMISSION_RATE_LIMIT: '1000' });
  });
  afterAll(() => t?.close());

  it('runs the full job when the checks fall behind, and the campaign ends up as one cluster all the same', async () => {
    const chair = await withRoles(t, ['chair']);
    const c = await openConsultation(t, chair);
    const people = await Promise.all(Array.from({ length: 40 }, () => participant(t)));
    const letter =
      'We ask the secretariat to keep the internet open, affordable and governed by all its stakeholders, in every region.';
    const service = t.app.get(ClustersService);
    const before = service.autoRebuilds;
    const ids = await Promise.all(
      people.map(
        async (who, i) =>
          (
            await t
              .http()
              .post(`/api/paragraphs/${c.paragraphs['1']}/contributions`)
              .set(who.auth)
              .send({ kind: 'comment', body: i % 2 ? letter : `${letter} Thank you.` })
              .expect(201)
          ).body.id as string,
      ),
    );
    await service.settled();
    await service.settled(); // the full job may have queued checks behind it
    expect(service.autoRebuilds).toBeGreaterThan(before);
    const clusters = (await t.http().get(`/api/consultations/${c.consultationId}/clusters`).set(chair.auth).expect(200))
      .body as { id: string; count: number }[];
    expect(clusters).toHaveLength(1);
    const members = (
      await t.http().get(`/api/clusters/${clusters[0].id}`).set(chair.auth).expect(200)
    ).body.members.map((m: { id: string }) => m.id);
    expect(members.sort()).toEqual([...ids].sort());
  });
});
