/**
 * Every route a built server has registered, read from Fastify's own route tree (`printRoutes`), so tests that must
 * cover all routes (the access matrix, the API fuzz test) notice a new route the day it is added.
 *
 * The tree prints one node per line: indentation in steps of four characters, the node's path segment, and the
 * methods registered at that node in parentheses. A route's URL is its ancestors' segments joined. HEAD routes are
 * left out: Fastify adds one beside every GET (`exposeHeadRoutes`), answering as the GET does without a body.
 */

import type { FastifyInstance } from "fastify";

export interface RouteKey {
  readonly method: string;
  readonly url: string;
}

const LINE = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/;
const INDENT_CHARS = 4;

export function registeredRoutes(app: FastifyInstance): RouteKey[] {
  const text = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: RouteKey[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const match = LINE.exec(line);
    if (match === null) throw new Error(`cannot read route tree line ${JSON.stringify(line)}`);
    const depth = match[1]!.length / INDENT_CHARS;
    if (!Number.isInteger(depth) || depth > stack.length) throw new Error(`bad indentation: ${JSON.stringify(line)}`);
    stack.length = depth;
    stack.push(match[2]!);
    const url = stack.join("");
    for (const method of (match[3] ?? "").split(",").map((m) => m.trim())) {
      if (method !== "" && method !== "HEAD") routes.push({ method, url });
    }
  }
  return routes.sort((a, b) => (a.url === b.url ? a.method.localeCompare(b.method) : a.url.localeCompare(b.url)));
}

export function routeName(route: RouteKey): string {
  return `${route.method} ${route.url}`;
}
