// A typed client in ten lines; `schema.d.ts` is generated from /openapi.json (docs/clients.md).
import type { paths } from "./schema";

type GetPath = { [P in keyof paths]: paths[P] extends { get: object } ? P : never }[keyof paths];
type Op<P extends GetPath> = paths[P]["get"];
type Ok<P extends GetPath> =
  Op<P>["responses"] extends { 200: { content: { "application/json": infer T } } } ? T : never;

export async function get<P extends GetPath>(
  base: string, path: P, params: Pick<Op<P>["parameters"], "path" | "query">,
): Promise<Ok<P>> {
  const slots = (params.path ?? {}) as Record<string, string>;
  const url = new URL(path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(slots[name])), base);
  for (const [name, value] of Object.entries(params.query ?? {}))
    if (value != null) url.searchParams.set(name, String(value));
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${(await response.json()).detail}`);
  return (await response.json()) as Ok<P>;
}

// Usage: the path, its parameters and the answer are all checked against the contract.
export async function printFaqs(base = "http://127.0.0.1:8000"): Promise<void> {
  const page = await get(base, "/v1/treatments", { query: { type: "immunotherapy" } });
  // Items may be cut down by `fields`, so the contract types every member as optional there.
  const slug = page.data[0]?.slug;
  if (slug === undefined) return;
  const faqs = await get(base, "/v1/treatments/{slug}/faqs", { path: { slug } });
  for (const faq of faqs.data) console.log(faq.question);
}
