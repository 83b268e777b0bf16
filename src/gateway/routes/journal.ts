/**
 * The journal's published checkpoints (journal/checkpoints.ts), public: anyone — the regulator first — can fetch and
 * keep them with the exchange's public key, and later show with `sauda verify --checkpoints` that a journal which no
 * longer holds one of them was rolled back or rewritten. A checkpoint says only a record number, a hash and a time.
 *
 * And the node's health (GET /api/health): whether it leads the journal or follows it, at which record, how far
 * behind; a load balancer sends changes to the leader and reads to any node not far behind (docs/operations.md).
 */

import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { publicKeyId, publicKeyPem } from "../../journal/keys.ts";
import type { RouteContext } from "../context.ts";
import { EPOCH_MS, HEALTH, SEQ, Strict } from "../wire/base.ts";

const CHECKPOINTS = Strict({
  publicKeys: Type.Array(
    Strict({ keyId: Type.String(), pem: Type.String({ description: "Ed25519 public key, PEM" }) }),
  ),
  checkpoints: Type.Array(
    Strict({
      seq: SEQ,
      hash: Type.String({ description: "the journal record's chain hash at seq" }),
      signedAtMs: EPOCH_MS,
      keyId: Type.String(),
      signature: Type.String({
        description: 'Ed25519 over "sauda checkpoint\\n<seq>\\n<hash>\\n<signedAtMs>", base64',
      }),
    }),
  ),
});

/** Most checkpoints one answer lists (newest first; page back with `beforeSeq`). */
export const CHECKPOINTS_LIST_MAX = 10_000;

const QUERY = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: CHECKPOINTS_LIST_MAX, default: 100 }),
    beforeSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  },
  { additionalProperties: false },
);

export function journalRoutes(api: FastifyInstance, { exchange }: RouteContext): void {
  api.get(
    "/health",
    {
      schema: {
        operationId: "getHealth",
        tags: ["journal"],
        summary:
          "This node's role (the leader writes; followers serve reads), the last journal record it applied, and how far behind it is (for load balancers)",
        response: { 200: HEALTH },
      },
      config: { access: "public" },
    },
    async (_request, reply) => {
      reply.header("cache-control", "no-store");
      return exchange.health();
    },
  );

  api.get<{ Querystring: Static<typeof QUERY> }>(
    "/journal/checkpoints",
    {
      schema: {
        operationId: "journalCheckpoints",
        tags: ["journal"],
        summary: "Signed journal head checkpoints (newest first) and the public keys that check them",
        querystring: QUERY,
        response: { 200: CHECKPOINTS },
      },
      config: { access: "public" },
    },
    async (request) => {
      const { limit, beforeSeq } = request.query;
      const all = exchange.publishedCheckpoints;
      const checkpoints = [];
      for (let i = all.length - 1; i >= 0 && checkpoints.length < limit; i--) {
        const checkpoint = all[i]!;
        if (beforeSeq === undefined || checkpoint.seq < beforeSeq) checkpoints.push(checkpoint);
      }
      return {
        publicKeys: exchange.keys.verifyingKeys.map((key) => ({ keyId: publicKeyId(key), pem: publicKeyPem(key) })),
        checkpoints,
      };
    },
  );
}
