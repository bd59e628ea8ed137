/*
 * A small client of the xrm API typed by the OpenAPI document: the types come
 * from `openapi-typescript` (build/openapi/api.d.ts, made by
 * scripts/test-openapi.sh), the calls are plain fetch. It creates a party and
 * reads it back. `tsc --strict` must accept it, so a body typed `never` or a
 * field the document lost fails the build; the script then runs it against a
 * server (XRM_URL, XRM_TOKEN) to see that the answers are what the types say.
 */
import type { components, paths } from "xrm-api";

/* The little of Node.js this uses (no @types/node needed). */
declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

type Json = "application/json";
type PartyCreate = paths["/api/v1/parties"]["post"]["requestBody"]["content"][Json];
type PartyCreated = paths["/api/v1/parties"]["post"]["responses"][201]["content"][Json];
type PartyRead = paths["/api/v1/parties/{id}"]["get"]["responses"][200]["content"][Json];
type PartyPage = paths["/api/v1/parties"]["get"]["responses"][200]["content"][Json];
type Problem = components["schemas"]["Problem"];

/* Fails to compile when T is never (a body without a schema). */
type NotNever<T> = [T] extends [never] ? false : true;
const typed: [NotNever<PartyCreate>, NotNever<PartyCreated>, NotNever<PartyRead>] = [
    true,
    true,
    true,
];

class ApiError extends Error {
    constructor(readonly problem: Problem) {
        super(`${problem.status} ${problem.code}: ${problem.detail}`);
    }
}

async function call<T>(base: string, token: string, method: string, path: string,
                       body?: unknown): Promise<T> {
    const init: RequestInit = {
        method,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    };
    if (body !== undefined)
        init.body = JSON.stringify(body);
    const resp = await fetch(base + path, init);
    const json: unknown = await resp.json();
    if (!resp.ok)
        throw new ApiError(json as Problem);
    return json as T;
}

function createParty(base: string, token: string, party: PartyCreate): Promise<PartyCreated> {
    return call<PartyCreated>(base, token, "POST", "/api/v1/parties", party);
}

function readParty(base: string, token: string, id: number): Promise<PartyRead> {
    return call<PartyRead>(base, token, "GET", `/api/v1/parties/${id}`);
}

async function main(): Promise<void> {
    const base = process.env["XRM_URL"];
    const token = process.env["XRM_TOKEN"];
    if (!base || !token)
        throw new Error("set XRM_URL and XRM_TOKEN");
    const created = await createParty(base, token, {
        kind: "person",
        given_name: "Anna",
        family_prefix: "van der",
        family_name: "Berg",
        emails: [{ label: "work", value: "anna.vanderberg@example.nl" }],
        addresses: [{ street: "Oudegracht", house_number: "1", postcode: "3511AB",
                      city: "Utrecht" }],
        tags: ["example"],
    });
    const id: number = created.id;
    const party: PartyRead = await readParty(base, token, id);
    const name: string = party.name;
    const email: string | undefined = party.emails[0]?.value;
    const postcode: string | null | undefined = party.addresses[0]?.postcode;
    const priority: "low" | "normal" | "high" | "top" = party.treatment.priority;
    const mayEmail: boolean = party.may_email;
    const canUpdate: boolean | undefined = party.can?.update;
    const roles = party.roles ?? [];
    const page: PartyPage = await call<PartyPage>(base, token, "GET", "/api/v1/parties?limit=1");
    const next: string | null = page.next;
    if (name !== "Anna van der Berg" || email !== "anna.vanderberg@example.nl" ||
        postcode !== "3511 AB" || party.version !== created.version)
        throw new Error(`read back ${JSON.stringify(party)}`);
    try {
        await readParty(base, token, 999999999);
        throw new Error("reading a party that does not exist succeeded");
    } catch (e) {
        if (!(e instanceof ApiError) || e.problem.code !== "not_found")
            throw e;
    }
    console.log(`example: created and read party ${id} (${name}, priority ${priority}, ` +
                `may_email ${mayEmail}, can update ${canUpdate}, ${roles.length} roles, ` +
                `next page ${next === null ? "none" : "yes"}, types ${typed.join(",")})`);
}

main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
