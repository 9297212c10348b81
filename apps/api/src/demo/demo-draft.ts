/** The demo consultation's zero draft: written for Plenary in the style of a WSIS outcome text. */
export const DEMO_DRAFT = `# Draft vision for international and regional cooperation beyond 2025

## Cooperation for an inclusive information society

*Recalling* the Geneva Declaration of Principles and the Tunis Agenda for the Information Society[^1],

*Recognizing* that international and regional cooperation remains central to bridging digital divides,

1. Promote **regional coordination** across infrastructure, traffic exchange, content and applications.

2. Develop a **coordinated approach on regional issues** of common concern, including Internet governance and digital content.

3. Foster **cooperation among international organisations**, each within its mandate, for the benefit of all nations and peoples.

4. Encourage **cross-border Internet exchange points** that lower the cost of traffic within each region:

(a) through open and neutral peering arrangements;
(b) through shared capacity-building programmes.

5. Support the **participation of developing countries** in multistakeholder organisations and in national and regional forums.

## Measurement and follow-up

6. Step up the use of **internationally agreed ICT indicators** and avoid duplication in their collection.

7. Encourage all stakeholders to keep their **entries in the WSIS Stocktaking** up to date.

[^1]: Documents WSIS-03/GENEVA/DOC/4 and WSIS-05/TUNIS/DOC/6.
`;
