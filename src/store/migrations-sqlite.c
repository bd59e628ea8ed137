/*
 * Numbered schema migrations for the SQLite engine. A migration, once
 * landed, is never edited: later changes are new entries. Every table keeps
 * a tenant key so the schema can later be distributed by tenant.
 */
#include "store/migrations.h"

#include "core/banned.h"

static const char m001_core[] =
    "CREATE TABLE users ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " name TEXT NOT NULL, display_name TEXT, password_hash TEXT,"
    " is_admin INTEGER NOT NULL DEFAULT 0, disabled INTEGER NOT NULL DEFAULT 0,"
    " created_at TEXT NOT NULL, UNIQUE (tenant, name));"
    "CREATE TABLE user_access ("
    " tenant INTEGER NOT NULL DEFAULT 1, user_id INTEGER NOT NULL REFERENCES users(id),"
    " domain TEXT NOT NULL, level TEXT NOT NULL, PRIMARY KEY (user_id, domain));"
    "CREATE TABLE tokens ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " user_id INTEGER NOT NULL REFERENCES users(id), hash TEXT NOT NULL UNIQUE,"
    " name TEXT, kind TEXT NOT NULL DEFAULT 'api', created_at TEXT NOT NULL,"
    " expires_at TEXT, revoked INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE parties ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, uid TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL CHECK (kind IN ('person','organization')),"
    " name TEXT NOT NULL, sort_name TEXT NOT NULL,"
    " given_name TEXT, family_prefix TEXT, family_name TEXT,"
    " legal_name TEXT, trade_name TEXT,"
    " emails TEXT NOT NULL DEFAULT '[]', phones TEXT NOT NULL DEFAULT '[]',"
    " websites TEXT NOT NULL DEFAULT '[]', addresses TEXT NOT NULL DEFAULT '[]',"
    " kvk TEXT, vat TEXT, iban TEXT, tags TEXT NOT NULL DEFAULT '[]',"
    " custom TEXT NOT NULL DEFAULT '{}', owner INTEGER REFERENCES users(id),"
    " archived INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX parties_sort ON parties (tenant, archived, sort_name, id);"
    "CREATE INDEX parties_kvk ON parties (kvk);"
    "CREATE TABLE party_tags ("
    " tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id) ON DELETE CASCADE,"
    " tag TEXT NOT NULL, PRIMARY KEY (tag, party_id));"
    "CREATE INDEX party_tags_party ON party_tags (party_id);"
    "CREATE TABLE party_cities ("
    " tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id) ON DELETE CASCADE,"
    " city TEXT NOT NULL, PRIMARY KEY (city, party_id));"
    "CREATE INDEX party_cities_party ON party_cities (party_id);"
    "CREATE TABLE role_types ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL,"
    " domain TEXT NOT NULL, label_en TEXT NOT NULL, label_nl TEXT NOT NULL,"
    " statuses TEXT NOT NULL, default_status TEXT NOT NULL, ended_statuses TEXT NOT NULL,"
    " attributes TEXT NOT NULL, builtin INTEGER NOT NULL DEFAULT 0,"
    " version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL,"
    " UNIQUE (tenant, name));"
    "CREATE TABLE roles ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id),"
    " type TEXT NOT NULL, domain TEXT NOT NULL, status TEXT NOT NULL,"
    " since TEXT, until TEXT, attributes TEXT NOT NULL DEFAULT '{}',"
    " version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX roles_party ON roles (party_id);"
    "CREATE INDEX roles_type ON roles (type, party_id);"
    "CREATE TABLE role_attrs ("
    " tenant INTEGER NOT NULL DEFAULT 1,"
    " role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,"
    " party_id INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY (role_id, name));"
    "CREATE INDEX role_attrs_lookup ON role_attrs (name, value, party_id);"
    "CREATE TABLE relationship_types ("
    " name TEXT NOT NULL, tenant INTEGER NOT NULL DEFAULT 1, reverse_name TEXT NOT NULL,"
    " label_en TEXT NOT NULL, label_nl TEXT NOT NULL,"
    " reverse_label_en TEXT NOT NULL, reverse_label_nl TEXT NOT NULL,"
    " builtin INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tenant, name));"
    "CREATE TABLE relationships ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, type TEXT NOT NULL,"
    " from_party INTEGER NOT NULL REFERENCES parties(id),"
    " to_party INTEGER NOT NULL REFERENCES parties(id),"
    " since TEXT, until TEXT, note TEXT, version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX relationships_from ON relationships (from_party);"
    "CREATE INDEX relationships_to ON relationships (to_party);"
    "CREATE TABLE activities ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, type TEXT NOT NULL,"
    " domain TEXT NOT NULL, subject TEXT NOT NULL, body TEXT, due TEXT,"
    " done INTEGER NOT NULL DEFAULT 0, assignee INTEGER REFERENCES users(id),"
    " score INTEGER, at TEXT NOT NULL, created_by INTEGER REFERENCES users(id),"
    " version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX activities_due ON activities (assignee, done, due);"
    "CREATE TABLE activity_parties ("
    " tenant INTEGER NOT NULL DEFAULT 1,"
    " activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,"
    " party_id INTEGER NOT NULL REFERENCES parties(id), at TEXT NOT NULL,"
    " PRIMARY KEY (activity_id, party_id));"
    "CREATE INDEX activity_parties_timeline ON activity_parties (party_id, at, activity_id);"
    "CREATE TABLE idempotency ("
    " tenant INTEGER NOT NULL DEFAULT 1, user_id INTEGER NOT NULL, key TEXT NOT NULL,"
    " method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL,"
    " body TEXT NOT NULL, location TEXT, created_at TEXT NOT NULL,"
    " PRIMARY KEY (user_id, key));"
    "CREATE TABLE audit ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, at TEXT NOT NULL,"
    " user_id INTEGER, action TEXT NOT NULL, entity TEXT NOT NULL, entity_id INTEGER,"
    " before TEXT, after TEXT);"
    "CREATE INDEX audit_entity ON audit (entity, entity_id);"
    "CREATE VIRTUAL TABLE party_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2',"
    " prefix = '2 3');";

static const char m002_activity_order[] = "CREATE INDEX activities_at ON activities (at, id);";

/* Sales and service: pipelines and deals, cases, agreements, automations, calendar feeds */
static const char m005_sales[] =
    "CREATE TABLE pipelines ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL,"
    " is_default INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (tenant, name));"
    "CREATE TABLE pipeline_stages ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " pipeline_id INTEGER NOT NULL REFERENCES pipelines(id), position INTEGER NOT NULL,"
    " name TEXT NOT NULL, probability INTEGER NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('open','won','lost')));"
    "CREATE INDEX pipeline_stages_pipeline ON pipeline_stages (pipeline_id, position);"
    "CREATE TABLE deals ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id),"
    " pipeline_id INTEGER NOT NULL REFERENCES pipelines(id),"
    " stage_id INTEGER NOT NULL REFERENCES pipeline_stages(id), title TEXT NOT NULL,"
    " amount INTEGER NOT NULL DEFAULT 0, currency TEXT NOT NULL DEFAULT 'EUR',"
    " probability INTEGER, expected_close TEXT, owner INTEGER REFERENCES users(id),"
    " status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','won','lost')),"
    " lost_reason TEXT, closed_at TEXT, created_by INTEGER REFERENCES users(id),"
    " version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX deals_party ON deals (party_id, status);"
    "CREATE INDEX deals_stage ON deals (pipeline_id, stage_id);"
    "CREATE INDEX deals_forecast ON deals (status, expected_close);"
    "CREATE TABLE deal_stage_history ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " deal_id INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,"
    " from_stage INTEGER, from_name TEXT, to_stage INTEGER NOT NULL, to_name TEXT NOT NULL,"
    " user_id INTEGER, at TEXT NOT NULL);"
    "CREATE INDEX deal_stage_history_deal ON deal_stage_history (deal_id, id);"
    "CREATE TABLE cases ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id), domain TEXT NOT NULL DEFAULT 'sales',"
    " subject TEXT NOT NULL, description TEXT,"
    " status TEXT NOT NULL CHECK (status IN ('new','open','waiting','resolved','closed')),"
    " priority TEXT NOT NULL, sla_hours INTEGER, sla_source TEXT NOT NULL, sla_due TEXT,"
    " opened_at TEXT NOT NULL, resolved_at TEXT, assignee INTEGER REFERENCES users(id),"
    " source_activity INTEGER, created_by INTEGER REFERENCES users(id),"
    " version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX cases_party ON cases (party_id, status);"
    "CREATE INDEX cases_sla ON cases (status, sla_due);"
    "CREATE TABLE agreements ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id), kind TEXT NOT NULL,"
    " domain TEXT NOT NULL, title TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT,"
    " notice_days INTEGER NOT NULL DEFAULT 0, value INTEGER,"
    " currency TEXT NOT NULL DEFAULT 'EUR', auto_renew INTEGER NOT NULL DEFAULT 0,"
    " renew_months INTEGER NOT NULL DEFAULT 12, owner INTEGER REFERENCES users(id),"
    " notes TEXT, created_by INTEGER REFERENCES users(id),"
    " version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX agreements_party ON agreements (party_id);"
    "CREATE INDEX agreements_end ON agreements (end_date);"
    "CREATE TABLE record_activities ("
    " tenant INTEGER NOT NULL DEFAULT 1,"
    " activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,"
    " entity TEXT NOT NULL, entity_id INTEGER NOT NULL, kind TEXT NOT NULL DEFAULT 'link',"
    " PRIMARY KEY (entity, entity_id, activity_id));"
    "CREATE INDEX record_activities_activity ON record_activities (activity_id);"
    "CREATE TABLE automations ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL,"
    " trigger_def TEXT NOT NULL, actions TEXT NOT NULL, enabled INTEGER NOT NULL DEFAULT 1,"
    " builtin INTEGER NOT NULL DEFAULT 0, created_by INTEGER REFERENCES users(id),"
    " version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE TABLE automation_fired ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " automation_id INTEGER NOT NULL REFERENCES automations(id) ON DELETE CASCADE,"
    " subject_type TEXT NOT NULL, subject_id INTEGER NOT NULL, occurrence TEXT NOT NULL,"
    " at TEXT NOT NULL,"
    " UNIQUE (tenant, automation_id, subject_type, subject_id, occurrence));"
    "CREATE TABLE calendar_feeds ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " user_id INTEGER NOT NULL REFERENCES users(id), hash TEXT NOT NULL UNIQUE,"
    " created_at TEXT NOT NULL, last_used_at TEXT, revoked INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX calendar_feeds_user ON calendar_feeds (user_id, revoked);"
    "INSERT INTO pipelines (name, is_default, created_at, updated_at)"
    " VALUES ('Verkoop', 1, '2026-11-27T00:00:00Z', '2026-11-27T00:00:00Z');"
    "INSERT INTO pipeline_stages (pipeline_id, position, name, probability, kind)"
    " SELECT id, 1, 'Lead', 10, 'open' FROM pipelines WHERE name = 'Verkoop';"
    "INSERT INTO pipeline_stages (pipeline_id, position, name, probability, kind)"
    " SELECT id, 2, 'Gekwalificeerd', 25, 'open' FROM pipelines WHERE name = 'Verkoop';"
    "INSERT INTO pipeline_stages (pipeline_id, position, name, probability, kind)"
    " SELECT id, 3, 'Offerte', 50, 'open' FROM pipelines WHERE name = 'Verkoop';"
    "INSERT INTO pipeline_stages (pipeline_id, position, name, probability, kind)"
    " SELECT id, 4, 'Onderhandeling', 75, 'open' FROM pipelines WHERE name = 'Verkoop';"
    "INSERT INTO pipeline_stages (pipeline_id, position, name, probability, kind)"
    " SELECT id, 5, 'Gewonnen', 100, 'won' FROM pipelines WHERE name = 'Verkoop';"
    "INSERT INTO pipeline_stages (pipeline_id, position, name, probability, kind)"
    " SELECT id, 6, 'Verloren', 0, 'lost' FROM pipelines WHERE name = 'Verkoop';"
    "INSERT INTO automations (name, trigger_def, actions, builtin, created_at, updated_at)"
    " VALUES ('Offerte opvolgen', '{\"type\":\"deal_stage\",\"stage\":\"Offerte\"}',"
    " '[{\"type\":\"create_task\",\"subject\":\"Offerte opvolgen: {deal.title}\","
    "\"due_days\":3,\"assignee\":\"owner\"}]', 1,"
    " '2026-11-27T00:00:00Z', '2026-11-27T00:00:00Z'),"
    " ('Klant 90 dagen stil: contact opnemen',"
    " '{\"type\":\"customer_idle\",\"days\":90}',"
    " '[{\"type\":\"create_task\",\"subject\":\"Contact opnemen met {party.name}\","
    "\"due_days\":7,\"assignee\":\"owner\"}]', 1,"
    " '2026-11-27T00:00:00Z', '2026-11-27T00:00:00Z'),"
    " ('Overeenkomst verlengen', '{\"type\":\"agreement_ending\",\"days\":60}',"
    " '[{\"type\":\"create_task\",\"subject\":\"Verlenging {agreement.title} ({party.name}),"
    " loopt af op {agreement.end}\",\"due_days\":14,\"assignee\":\"owner\"}]', 1,"
    " '2026-11-27T00:00:00Z', '2026-11-27T00:00:00Z');";

/* Privacy: per-domain access, audit trail, consent, retention, GDPR erasure */
static const char m003_privacy[] =
    "ALTER TABLE audit ADD COLUMN domain TEXT;"
    "UPDATE audit SET domain = 'sales' WHERE after LIKE '%\"domain\":\"sales\"%'"
    " OR before LIKE '%\"domain\":\"sales\"%';"
    "UPDATE audit SET domain = 'hr' WHERE after LIKE '%\"domain\":\"hr\"%'"
    " OR before LIKE '%\"domain\":\"hr\"%';"
    "UPDATE audit SET domain = 'partners' WHERE after LIKE '%\"domain\":\"partners\"%'"
    " OR before LIKE '%\"domain\":\"partners\"%';"
    "UPDATE audit SET domain = 'purchasing' WHERE after LIKE '%\"domain\":\"purchasing\"%'"
    " OR before LIKE '%\"domain\":\"purchasing\"%';"
    "UPDATE audit SET domain = 'pr' WHERE after LIKE '%\"domain\":\"pr\"%'"
    " OR before LIKE '%\"domain\":\"pr\"%';"
    "CREATE INDEX audit_user ON audit (user_id, id);"
    "CREATE TABLE audit_parties ("
    " tenant INTEGER NOT NULL DEFAULT 1, party_id INTEGER NOT NULL, audit_id INTEGER NOT NULL,"
    " PRIMARY KEY (party_id, audit_id));"
    "INSERT INTO audit_parties (party_id, audit_id)"
    " SELECT entity_id, id FROM audit WHERE entity = 'party' AND entity_id IS NOT NULL;"
    "INSERT INTO audit_parties (party_id, audit_id)"
    " SELECT r.party_id, a.id FROM audit a JOIN roles r ON a.entity = 'role' AND r.id = a.entity_id"
    " ON CONFLICT DO NOTHING;"
    "INSERT INTO audit_parties (party_id, audit_id)"
    " SELECT ap.party_id, a.id FROM audit a JOIN activity_parties ap"
    " ON a.entity = 'activity' AND ap.activity_id = a.entity_id ON CONFLICT DO NOTHING;"
    "INSERT INTO audit_parties (party_id, audit_id)"
    " SELECT r.from_party, a.id FROM audit a JOIN relationships r"
    " ON a.entity = 'relationship' AND r.id = a.entity_id ON CONFLICT DO NOTHING;"
    "INSERT INTO audit_parties (party_id, audit_id)"
    " SELECT r.to_party, a.id FROM audit a JOIN relationships r"
    " ON a.entity = 'relationship' AND r.id = a.entity_id ON CONFLICT DO NOTHING;"
    "CREATE TABLE consents ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id), purpose TEXT NOT NULL,"
    " granted INTEGER NOT NULL, source TEXT NOT NULL, wording TEXT, given_at TEXT NOT NULL,"
    " recorded_at TEXT NOT NULL, recorded_by INTEGER REFERENCES users(id));"
    "CREATE INDEX consents_party ON consents (party_id, purpose, id);"
    "CREATE TABLE retention_rules ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL,"
    " domain TEXT NOT NULL, role_type TEXT NOT NULL, statuses TEXT NOT NULL DEFAULT '[]',"
    " days INTEGER NOT NULL, consent_purpose TEXT, consent_days INTEGER,"
    " enabled INTEGER NOT NULL DEFAULT 1, description TEXT NOT NULL DEFAULT '',"
    " version INTEGER NOT NULL DEFAULT 1, UNIQUE (tenant, name));"
    "INSERT INTO retention_rules (name, domain, role_type, statuses, days, consent_purpose,"
    " consent_days, description) VALUES"
    " ('applicant', 'hr', 'employee', '[\"applicant\",\"rejected\"]', 28, 'applicant_pool', 365,"
    " 'Applicants: 4 weeks after the application ended, or 1 year with consent'),"
    " ('employee', 'hr', 'employee', '[]', 730, NULL, NULL,"
    " 'Other HR data: 2 years after employment ended'),"
    " ('customer-fiscal', 'sales', 'customer', '[]', 2557, NULL, NULL,"
    " 'Fiscal records of customers: 7 years after the customer role ended'),"
    " ('supplier-fiscal', 'purchasing', 'supplier', '[]', 2557, NULL, NULL,"
    " 'Fiscal records of suppliers: 7 years after the supplier role ended');"
    "CREATE TABLE erasures ("
    " tenant INTEGER NOT NULL DEFAULT 1, party_id INTEGER PRIMARY KEY REFERENCES parties(id),"
    " erased_at TEXT NOT NULL, erased_by INTEGER REFERENCES users(id));";

/* Treatment: treatment rules (with the built-in ones) and segments */
static const char m004_rules[] =
    "CREATE TABLE rules ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('treatment','constraint')), description TEXT,"
    " conditions TEXT NOT NULL, effects TEXT NOT NULL, enabled INTEGER NOT NULL DEFAULT 1,"
    " builtin INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (tenant, name));"
    "CREATE TABLE segments ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL,"
    " query TEXT NOT NULL, description TEXT, created_by INTEGER REFERENCES users(id),"
    " version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " UNIQUE (tenant, name));"
    "INSERT INTO rules (name, kind, description, conditions, effects, builtin, created_at,"
    " updated_at) VALUES"
    " ('Staff customer', 'treatment', 'Employees who are also customers: staff terms, no sales"
    " pitch', '{\"all_roles\":[\"employee\",\"customer\"]}',"
    " '{\"badges\":[{\"en\":\"Staff\",\"nl\":\"Personeel\"}],\"suppress\":"
    "[\"no_sales_outreach\"],\"notes\":[{\"en\":\"Colleague: staff terms apply, no sales pitch\","
    "\"nl\":\"Collega: personeelsvoorwaarden, geen verkoopgesprek\"}]}', 1,"
    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    " ('Strategic partner customer', 'treatment', 'Gold and strategic partners who buy from us:"
    " extra care, whatever their revenue', '{\"all_roles\":[\"partner\",\"customer\"],\"attr\":"
    "{\"partner.tier\":{\"in\":[\"gold\",\"strategic\"]}}}',"
    " '{\"priority\":\"high\",\"badges\":[{\"en\":\"Strategic partner\",\"nl\":\"Strategische"
    " partner\"}],\"sla_hours\":4,\"notes\":[{\"en\":\"Strategic partner: extra care, whatever"
    " their revenue\",\"nl\":\"Strategische partner: extra zorg, ongeacht de omzet\"}]}', 1,"
    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    " ('Press customer', 'treatment', 'Journalists who are customers: a complaint is a PR risk',"
    " '{\"all_roles\":[\"press\",\"customer\"]}',"
    " '{\"priority\":\"high\",\"badges\":[{\"en\":\"Press\",\"nl\":\"Pers\"}],\"notes\":"
    "[{\"en\":\"Journalist: complaints go to PR too\",\"nl\":\"Journalist: klachten ook naar"
    " PR\"}]}', 1,"
    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    " ('Supplier customer', 'treatment', 'Suppliers who are also customers: offsetting and"
    " conflicts of interest', '{\"all_roles\":[\"supplier\",\"customer\"]}',"
    " '{\"badges\":[{\"en\":\"Also supplier\",\"nl\":\"Ook leverancier\"}],\"notes\":"
    "[{\"en\":\"Also our supplier: invoices may be offset; watch for conflicts of interest\","
    "\"nl\":\"Ook onze leverancier: facturen kunnen worden verrekend; let op"
    " belangenverstrengeling\"}]}', 1,"
    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));";

/*
 * Reading a party lists its relationships from both sides. With covering
 * indexes (every column the party's relationship list needs, in party
 * order) the relationships of one party sit together in one index page
 * instead of one random table row each. They replace the one-column
 * indexes, which are their prefixes.
 */
static const char m006_relationship_cover[] =
    "CREATE INDEX relationships_from_cover ON relationships"
    " (from_party, type, to_party, since, until, tenant);"
    "CREATE INDEX relationships_to_cover ON relationships"
    " (to_party, type, from_party, since, until, tenant);"
    "DROP INDEX relationships_from;"
    "DROP INDEX relationships_to;";

/*
 * The index tables written for every imported party (role attributes,
 * tags, cities) as WITHOUT ROWID tables keyed by their primary key: one
 * b-tree less to write per row than a rowid table with a separate primary
 * key index, and the same lookups.
 */
static const char m007_index_tables[] =
    "CREATE TABLE role_attrs_new ("
    " tenant INTEGER NOT NULL DEFAULT 1,"
    " role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,"
    " party_id INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY (role_id, name)) WITHOUT ROWID;"
    "INSERT INTO role_attrs_new (tenant, role_id, party_id, name, value)"
    " SELECT tenant, role_id, party_id, name, value FROM role_attrs;"
    "DROP TABLE role_attrs;"
    "ALTER TABLE role_attrs_new RENAME TO role_attrs;"
    "CREATE INDEX role_attrs_lookup ON role_attrs (name, value, party_id);"
    "CREATE TABLE party_tags_new ("
    " tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id) ON DELETE CASCADE,"
    " tag TEXT NOT NULL, PRIMARY KEY (tag, party_id)) WITHOUT ROWID;"
    "INSERT INTO party_tags_new (tenant, party_id, tag)"
    " SELECT tenant, party_id, tag FROM party_tags;"
    "DROP TABLE party_tags;"
    "ALTER TABLE party_tags_new RENAME TO party_tags;"
    "CREATE INDEX party_tags_party ON party_tags (party_id);"
    "CREATE TABLE party_cities_new ("
    " tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id) ON DELETE CASCADE,"
    " city TEXT NOT NULL, PRIMARY KEY (city, party_id)) WITHOUT ROWID;"
    "INSERT INTO party_cities_new (tenant, party_id, city)"
    " SELECT tenant, party_id, city FROM party_cities;"
    "DROP TABLE party_cities;"
    "ALTER TABLE party_cities_new RENAME TO party_cities;"
    "CREATE INDEX party_cities_party ON party_cities (party_id);";

/*
 * Access to relationships and segments: a relationship type belongs to a
 * domain (manager_of: hr) or is common (NULL); a segment is private to its
 * owner (created_by) unless shared, which it is by default (as every
 * segment was before).
 */
static const char m008_access[] =
    "ALTER TABLE relationship_types ADD COLUMN domain TEXT;"
    "UPDATE relationship_types SET domain = 'hr' WHERE name = 'manager_of';"
    "ALTER TABLE segments ADD COLUMN shared INTEGER NOT NULL DEFAULT 1;";

/*
 * A login's bearer token remembers the session token of the same login
 * (login_id), so logging out revokes both; an Idempotency-Key remembers a
 * hash of the request it was first used for (method, path and body), so the
 * same key on another request is refused instead of answered with the
 * first request's response.
 */
static const char m009_session_links[] = "ALTER TABLE tokens ADD COLUMN login_id INTEGER;"
                                         "CREATE INDEX tokens_login ON tokens (login_id);"
                                         "ALTER TABLE idempotency ADD COLUMN request_hash TEXT;";

/*
 * Duplicates: the normalised keys of every party (domain/party/keys.h), one
 * row per key, found by kind and value; and a party's id in another system
 * (external_id). Normalising needs C, so the parties present now are listed
 * in party_keys_pending, which the domain works off once on open
 * (xrm_party_keys_backfill).
 */
static const char m010_party_keys[] =
    "CREATE TABLE party_keys ("
    " tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL, value TEXT NOT NULL);"
    "CREATE INDEX party_keys_lookup ON party_keys (tenant, kind, value, party_id);"
    "CREATE INDEX party_keys_party ON party_keys (party_id);"
    "ALTER TABLE parties ADD COLUMN external_id TEXT;"
    "CREATE INDEX parties_external_id ON parties (external_id);"
    "CREATE TABLE party_keys_pending ("
    " party_id INTEGER PRIMARY KEY REFERENCES parties(id) ON DELETE CASCADE);"
    "INSERT INTO party_keys_pending (party_id) SELECT id FROM parties;";

/*
 * Import jobs: one row per import of a file (CSV, vCard, NDJSON) with its
 * options, progress and counts; import_errors holds the rows it refused
 * (line, field, code, message) for the errors.csv download.
 */
static const char m011_imports[] =
    "CREATE TABLE imports ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " user_id INTEGER NOT NULL, status TEXT NOT NULL, dry_run INTEGER NOT NULL DEFAULT 0,"
    " format TEXT NOT NULL, options TEXT NOT NULL DEFAULT '{}',"
    " total INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0,"
    " created INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0,"
    " skipped INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0,"
    " file TEXT NOT NULL DEFAULT '{}', message TEXT,"
    " created_at TEXT NOT NULL, finished_at TEXT);"
    "CREATE INDEX imports_user ON imports (user_id, id);"
    "CREATE TABLE import_errors ("
    " tenant INTEGER NOT NULL DEFAULT 1,"
    " import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, line INTEGER NOT NULL, field TEXT, code TEXT NOT NULL,"
    " message TEXT NOT NULL, PRIMARY KEY (import_id, seq));";

/*
 * Merging duplicate parties: one row per merge with the before-image its
 * undo restores (JSON: the parties as they were and every row the merge
 * moved, changed or removed), and on a party the survivor it was merged into
 * (without a foreign key: `xrm copy` writes parties in id order, and a
 * survivor may have a higher id than the party merged into it).
 */
static const char m012_merges[] =
    "CREATE TABLE merges ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " user_id INTEGER REFERENCES users(id),"
    " survivor_id INTEGER NOT NULL REFERENCES parties(id), merged_ids TEXT NOT NULL,"
    " image TEXT NOT NULL, moves TEXT NOT NULL, created_at TEXT NOT NULL,"
    " undone_at TEXT, undone_by INTEGER REFERENCES users(id));"
    "CREATE INDEX merges_survivor ON merges (survivor_id);"
    "ALTER TABLE parties ADD COLUMN merged_into INTEGER;";

/*
 * Full-text search of records' text (domain/party/fulltext-db.h): one
 * record_text row per record and party it belongs to (an activity once
 * per party it is linked to), with the record's kind and id, its domain
 * (what a reader must be allowed to read to find it) and type, and its
 * text; record_fts indexes that text (external content: the text is kept
 * once, in record_text). Triggers on the records keep it in step with
 * every write path (create, edit, delete, merge, erasure, retention,
 * copy); the rows present now are indexed here. Activities: subject and
 * body (case messages are activities too); cases: subject and
 * description; deals (sales): title and lost reason; agreements: title
 * and notes. PostgreSQL: xrm_migrations_pg_override (migrations-pg.c).
 */
/* The SQL reads best as written: clang-format would scatter the macro pieces. */
// clang-format off
#define M013_ACT_TEXT(a) a ".subject || ' ' || coalesce(" a ".body, '')"
#define M013_INS "INSERT INTO record_text (tenant, kind, record_id, party_id, domain, type, body) "
#define M013_DEL(kind, id) "DELETE FROM record_text WHERE kind = '" kind "' AND record_id = " id ";"
#define M013_ONE(table, kind, domain, type, text)                                                  \
    "CREATE TRIGGER " table "_text_ai AFTER INSERT ON " table " BEGIN " M013_INS "VALUES ("        \
    "new.tenant, '" kind "', new.id, new.party_id, " domain ", " type ", " text "); END;"          \
    "CREATE TRIGGER " table "_text_ad AFTER DELETE ON " table " BEGIN " M013_DEL(kind, "old.id")   \
    " END;"
static const char m013_record_text[] =
    "CREATE TABLE record_text ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, kind TEXT NOT NULL,"
    " record_id INTEGER NOT NULL, party_id INTEGER NOT NULL, domain TEXT NOT NULL,"
    " type TEXT NOT NULL, body TEXT NOT NULL);"
    "CREATE INDEX record_text_record ON record_text (kind, record_id);"
    "CREATE INDEX record_text_party ON record_text (party_id);"
    "CREATE VIRTUAL TABLE record_fts USING fts5(body, content = 'record_text',"
    " content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');"
    "CREATE TRIGGER record_text_ai AFTER INSERT ON record_text BEGIN"
    " INSERT INTO record_fts (rowid, body) VALUES (new.id, new.body); END;"
    "CREATE TRIGGER record_text_ad AFTER DELETE ON record_text BEGIN"
    " INSERT INTO record_fts (record_fts, rowid, body) VALUES ('delete', old.id, old.body); END;"
    /* activities: one row per linked party */
    "CREATE TRIGGER activity_parties_text_ai AFTER INSERT ON activity_parties BEGIN " M013_INS
    "SELECT a.tenant, 'activity', a.id, new.party_id, a.domain, a.type, " M013_ACT_TEXT("a")
    " FROM activities a WHERE a.id = new.activity_id; END;"
    "CREATE TRIGGER activity_parties_text_ad AFTER DELETE ON activity_parties BEGIN"
    " DELETE FROM record_text WHERE kind = 'activity' AND record_id = old.activity_id"
    " AND party_id = old.party_id; END;"
    "CREATE TRIGGER activity_parties_text_au AFTER UPDATE OF activity_id, party_id"
    " ON activity_parties BEGIN"
    " DELETE FROM record_text WHERE kind = 'activity' AND record_id = old.activity_id"
    " AND party_id = old.party_id; " M013_INS
    "SELECT a.tenant, 'activity', a.id, new.party_id, a.domain, a.type, " M013_ACT_TEXT("a")
    " FROM activities a WHERE a.id = new.activity_id; END;"
    "CREATE TRIGGER activities_text_au AFTER UPDATE OF type, domain, subject, body ON activities"
    " BEGIN " M013_DEL("activity", "old.id") " " M013_INS
    "SELECT new.tenant, 'activity', new.id, ap.party_id, new.domain, new.type, "
    M013_ACT_TEXT("new") " FROM activity_parties ap WHERE ap.activity_id = new.id; END;"
    "CREATE TRIGGER activities_text_ad AFTER DELETE ON activities BEGIN "
    M013_DEL("activity", "old.id") " END;"
    /* cases, deals, agreements: one party each */
    M013_ONE("cases", "case", "new.domain", "'case'",
             "new.subject || ' ' || coalesce(new.description, '')")
    "CREATE TRIGGER cases_text_au AFTER UPDATE OF party_id, domain, subject, description ON cases"
    " BEGIN " M013_DEL("case", "old.id") " " M013_INS
    "VALUES (new.tenant, 'case', new.id, new.party_id, new.domain, 'case',"
    " new.subject || ' ' || coalesce(new.description, '')); END;"
    M013_ONE("deals", "deal", "'sales'", "'deal'",
             "new.title || ' ' || coalesce(new.lost_reason, '')")
    "CREATE TRIGGER deals_text_au AFTER UPDATE OF party_id, title, lost_reason ON deals"
    " BEGIN " M013_DEL("deal", "old.id") " " M013_INS
    "VALUES (new.tenant, 'deal', new.id, new.party_id, 'sales', 'deal',"
    " new.title || ' ' || coalesce(new.lost_reason, '')); END;"
    M013_ONE("agreements", "agreement", "new.domain", "new.kind",
             "new.title || ' ' || coalesce(new.notes, '')")
    "CREATE TRIGGER agreements_text_au AFTER UPDATE OF party_id, domain, kind, title, notes"
    " ON agreements BEGIN " M013_DEL("agreement", "old.id") " " M013_INS
    "VALUES (new.tenant, 'agreement', new.id, new.party_id, new.domain, new.kind,"
    " new.title || ' ' || coalesce(new.notes, '')); END;"
    /* what is there now */
    M013_INS "SELECT a.tenant, 'activity', a.id, ap.party_id, a.domain, a.type, "
    M013_ACT_TEXT("a") " FROM activity_parties ap JOIN activities a ON a.id = ap.activity_id;"
    M013_INS "SELECT tenant, 'case', id, party_id, domain, 'case',"
    " subject || ' ' || coalesce(description, '') FROM cases;"
    M013_INS "SELECT tenant, 'deal', id, party_id, 'sales', 'deal',"
    " title || ' ' || coalesce(lost_reason, '') FROM deals;"
    M013_INS "SELECT tenant, 'agreement', id, party_id, domain, kind,"
    " title || ' ' || coalesce(notes, '') FROM agreements;";
// clang-format on

/*
 * Lists: the party list sorts by city (the first address's, lowercased as
 * the city index; written with the index rows) and by creation and change
 * time, each with an index in the list's keyset order; saved views keep
 * their sort on the segment.
 */
static const char m014_list_sort[] =
    "ALTER TABLE parties ADD COLUMN sort_city TEXT NOT NULL DEFAULT '';"
    "UPDATE parties SET sort_city = COALESCE((SELECT MIN(c.city) FROM party_cities c"
    " WHERE c.party_id = parties.id), '');"
    "CREATE INDEX parties_city ON parties (tenant, archived, sort_city, id);"
    "CREATE INDEX parties_created ON parties (tenant, archived, created_at, id);"
    "CREATE INDEX parties_updated ON parties (tenant, archived, updated_at, id);"
    "ALTER TABLE segments ADD COLUMN list_sort TEXT;";

/*
 * Party page: money attributes. The built-in employee's salary (cents)
 * becomes an attribute of type money, so screens show and take it in euros;
 * its label loses "(cents)". A role type changed by its users is left alone.
 */
static const char m016_money_attributes[] =
    "UPDATE role_types SET attributes = replace(attributes,"
    " '{\"name\":\"salary\",\"type\":\"integer\",\"required\":false,\"sensitive\":true,"
    "\"label\":{\"en\":\"Salary (cents)\",\"nl\":\"Salaris (centen)\"}',"
    " '{\"name\":\"salary\",\"type\":\"money\",\"required\":false,\"sensitive\":true,"
    "\"label\":{\"en\":\"Salary\",\"nl\":\"Salaris\"}')"
    " WHERE name = 'employee' AND builtin = 1;";

/*
 * Cases: why a case got its SLA (the treatment rules that set it, or its
 * priority, or a due time given by hand) as JSON {"code", "rules", "en", "nl"}.
 */
static const char m015_case_sla_reason[] = "ALTER TABLE cases ADD COLUMN sla_reason TEXT;";

/*
 * HR: departments, a tree (parent) with a manager (a party) and a cost
 * centre. The employee role's `department` attribute holds a department's id.
 */
static const char m017_departments[] =
    "CREATE TABLE departments ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL,"
    " parent_id INTEGER REFERENCES departments(id), manager_id INTEGER REFERENCES parties(id),"
    " cost_centre TEXT, version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL);"
    "CREATE UNIQUE INDEX departments_name ON departments (tenant, parent_id, name);"
    "CREATE INDEX departments_parent ON departments (parent_id);";

/*
 * HR: the organisation. The built-in employee's `department` attribute
 * holds a department id (attribute type "department"): a department is
 * made for every name found (at the top of the tree) and the roles' names
 * become ids. The manager is the employee role's `manager` attribute, the
 * one source of truth: an employee's manager_of link becomes the attribute
 * when the role has none, and the links of employees go. Employment
 * history: dated records of job, department, hours, contract and salary
 * (NULL: not part of that change), one per existing employee role from its
 * current attributes.
 */
static const char m018_organisation[] =
    "UPDATE role_types SET attributes = replace(attributes,"
    " '{\"name\":\"department\",\"type\":\"string\",',"
    " '{\"name\":\"department\",\"type\":\"department\",')"
    " WHERE name = 'employee' AND builtin = 1;"
    "INSERT INTO departments (tenant, name, created_at, updated_at)"
    " SELECT a.tenant, a.value, MIN(r.created_at), MIN(r.created_at)"
    " FROM role_attrs a JOIN roles r ON r.id = a.role_id"
    " WHERE a.name = 'employee.department' AND NOT EXISTS (SELECT 1 FROM departments d"
    " WHERE d.tenant = a.tenant AND d.parent_id IS NULL AND d.name = a.value)"
    " GROUP BY a.tenant, a.value;"
    "UPDATE roles SET attributes = replace(attributes,"
    " '\"department\":\"' || (SELECT a.value FROM role_attrs a"
    " WHERE a.role_id = roles.id AND a.name = 'employee.department') || '\"',"
    " '\"department\":' || (SELECT CAST(d.id AS TEXT) FROM role_attrs a JOIN departments d"
    " ON d.tenant = a.tenant AND d.parent_id IS NULL AND d.name = a.value"
    " WHERE a.role_id = roles.id AND a.name = 'employee.department'))"
    " WHERE type = 'employee' AND id IN (SELECT role_id FROM role_attrs"
    " WHERE name = 'employee.department');"
    "UPDATE role_attrs SET value = (SELECT CAST(d.id AS TEXT) FROM departments d"
    " WHERE d.tenant = role_attrs.tenant AND d.parent_id IS NULL AND d.name = role_attrs.value)"
    " WHERE name = 'employee.department';"
    "UPDATE roles SET attributes = '{\"manager\":' || (SELECT CAST(MIN(l.from_party) AS TEXT)"
    " FROM relationships l WHERE l.type = 'manager_of' AND l.to_party = roles.party_id"
    " AND l.until IS NULL) || CASE WHEN attributes = '{}' THEN '}'"
    " ELSE ',' || substr(attributes, 2) END"
    " WHERE type = 'employee' AND id NOT IN (SELECT role_id FROM role_attrs"
    " WHERE name = 'employee.manager') AND party_id IN (SELECT to_party FROM relationships"
    " WHERE type = 'manager_of' AND until IS NULL);"
    "INSERT INTO role_attrs (tenant, role_id, party_id, name, value)"
    " SELECT r.tenant, r.id, r.party_id, 'employee.manager', CAST(MIN(l.from_party) AS TEXT)"
    " FROM roles r JOIN relationships l ON l.to_party = r.party_id AND l.type = 'manager_of'"
    " AND l.until IS NULL WHERE r.type = 'employee' AND r.id NOT IN (SELECT role_id"
    " FROM role_attrs WHERE name = 'employee.manager') GROUP BY r.tenant, r.id, r.party_id;"
    "DELETE FROM relationships WHERE type = 'manager_of' AND to_party IN"
    " (SELECT party_id FROM roles WHERE type = 'employee');"
    "CREATE TABLE employment ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id),"
    " effective TEXT NOT NULL, job_title TEXT, department_id INTEGER, hours_per_week REAL,"
    " contract_type TEXT, salary INTEGER, planned INTEGER NOT NULL DEFAULT 0, note TEXT,"
    " created_by INTEGER, created_at TEXT NOT NULL);"
    "CREATE INDEX employment_party ON employment (party_id, effective, id);"
    "INSERT INTO employment (tenant, party_id, effective, job_title, department_id,"
    " hours_per_week, contract_type, salary, created_at)"
    " SELECT r.tenant, r.party_id, COALESCE(sd.value, r.since, substr(r.created_at, 1, 10)),"
    " jt.value, CAST(dp.value AS INTEGER), CAST(hw.value AS REAL), ct.value,"
    " CAST(sa.value AS INTEGER), r.created_at FROM roles r"
    " LEFT JOIN role_attrs sd ON sd.role_id = r.id AND sd.name = 'employee.start_date'"
    " LEFT JOIN role_attrs jt ON jt.role_id = r.id AND jt.name = 'employee.job_title'"
    " LEFT JOIN role_attrs dp ON dp.role_id = r.id AND dp.name = 'employee.department'"
    " LEFT JOIN role_attrs hw ON hw.role_id = r.id AND hw.name = 'employee.hours_per_week'"
    " LEFT JOIN role_attrs ct ON ct.role_id = r.id AND ct.name = 'employee.contract_type'"
    " LEFT JOIN role_attrs sa ON sa.role_id = r.id AND sa.name = 'employee.salary'"
    " WHERE r.type = 'employee' AND r.status NOT IN ('applicant', 'rejected');";

/*
 * HR absence: absences (sick, leave, special, parental leave; hours kept in
 * minutes) and the table of the Wet verbetering poortwachter's steps that a
 * sick report turns into dated tasks (admins change it). The employee role
 * type gets `extra_leave_hours` (leave above the statutory hours, per year).
 */
static const char m019_absences[] =
    "CREATE TABLE absences ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id), kind TEXT NOT NULL,"
    " from_date TEXT NOT NULL, until_date TEXT, minutes INTEGER,"
    " status TEXT NOT NULL DEFAULT 'approved', note TEXT,"
    " created_by INTEGER REFERENCES users(id), version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX absences_party ON absences (party_id, from_date);"
    "CREATE INDEX absences_from ON absences (from_date);"
    "CREATE TABLE poortwachter_steps ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, position INTEGER NOT NULL,"
    " code TEXT NOT NULL, week INTEGER NOT NULL, every_weeks INTEGER NOT NULL DEFAULT 0,"
    " until_week INTEGER, title_en TEXT NOT NULL, title_nl TEXT NOT NULL);"
    "INSERT INTO poortwachter_steps (position, code, week, every_weeks, until_week, title_en,"
    " title_nl) VALUES"
    " (1, 'occupational_health', 1, 0, NULL, 'Report to the occupational health service',"
    " 'Ziekmelding bij de arbodienst (bedrijfsarts)'),"
    " (2, 'problem_analysis', 6, 0, NULL, 'Problem analysis', 'Probleemanalyse'),"
    " (3, 'plan_of_action', 8, 0, NULL, 'Plan of action', 'Plan van aanpak'),"
    " (4, 'evaluation', 14, 6, 50, 'Evaluation of the plan of action',"
    " 'Evaluatie van het plan van aanpak'),"
    " (5, 'uwv_report', 42, 0, NULL, 'Report to UWV (ziekmelding UWV)', 'Ziekmelding bij UWV'),"
    " (6, 'first_year_evaluation', 52, 0, NULL, 'First-year evaluation', 'Eerstejaarsevaluatie'),"
    " (7, 'wia_application', 91, 0, NULL, 'WIA application with the reintegration report',"
    " 'WIA-aanvraag met het re-integratieverslag'),"
    " (8, 'end_second_year', 104, 0, NULL, 'End of the second year of sickness',"
    " 'Einde tweede ziektejaar');"
    "UPDATE role_types SET attributes = replace(attributes, '{\"name\":\"salary\"',"
    " '{\"name\":\"extra_leave_hours\",\"type\":\"number\",\"required\":false,"
    "\"sensitive\":false,\"label\":{\"en\":\"Extra leave hours per year\","
    "\"nl\":\"Bovenwettelijke verlofuren per jaar\"},\"min\":0,\"max\":2000},"
    "{\"name\":\"salary\"')"
    " WHERE name = 'employee' AND builtin = 1;";

/*
 * HR: on- and offboarding checklists and recruitment. Checklist templates
 * (items: title, who, offset_days from the start or end date) with a
 * built-in one of each kind; checklists started for an employee role, whose
 * items are hr tasks linked in record_activities (entity 'checklist', kind
 * 'item.<n>'); vacancies. Applicants are employee roles with status
 * applicant and the attributes `vacancy` and `stage`, added here to the
 * stored built-in employee type.
 */
static const char m020_checklists_vacancies[] =
    "CREATE TABLE checklist_templates ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL,"
    " kind TEXT NOT NULL, items TEXT NOT NULL, auto_start INTEGER NOT NULL DEFAULT 1,"
    " created_by INTEGER REFERENCES users(id), version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE TABLE checklists ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id), role_id INTEGER, template_id INTEGER,"
    " kind TEXT NOT NULL, name TEXT NOT NULL, anchor_date TEXT NOT NULL, items TEXT NOT NULL,"
    " created_by INTEGER REFERENCES users(id), version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX checklists_party ON checklists (party_id);"
    "CREATE INDEX checklists_role ON checklists (role_id, kind);"
    "CREATE TABLE vacancies ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, title TEXT NOT NULL,"
    " department_id INTEGER REFERENCES departments(id), hours INTEGER,"
    " status TEXT NOT NULL DEFAULT 'open', opened TEXT NOT NULL, closes TEXT, description TEXT,"
    " created_by INTEGER REFERENCES users(id), version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX vacancies_status ON vacancies (status, id);"
    "INSERT INTO checklist_templates (name, kind, items, created_at, updated_at) VALUES"
    " ('Inwerken nieuwe medewerker', 'onboarding', '["
    "{\"title\":\"Arbeidsovereenkomst laten tekenen\",\"who\":\"hr\",\"offset_days\":-14},"
    "{\"title\":\"Laptop, telefoon en accounts klaarzetten\",\"who\":\"it\",\"offset_days\":-5},"
    "{\"title\":\"Werkplek en werkkleding regelen\",\"who\":\"manager\",\"offset_days\":-3},"
    "{\"title\":\"Welkom en rondleiding op de eerste dag\",\"who\":\"manager\",\"offset_days\":0},"
    "{\"title\":\"Loonheffingsverklaring en kopie ID ontvangen\",\"who\":\"hr\",\"offset_days\":0},"
    "{\"title\":\"Inwerkschema bespreken\",\"who\":\"manager\",\"offset_days\":1},"
    "{\"title\":\"VCA-toets inplannen\",\"who\":\"hr\",\"offset_days\":14},"
    "{\"title\":\"Evaluatiegesprek na zes weken\",\"who\":\"manager\",\"offset_days\":42}]',"
    " '2026-12-06T00:00:00Z', '2026-12-06T00:00:00Z'),"
    " ('Uit dienst', 'offboarding', '["
    "{\"title\":\"Einde dienstverband schriftelijk "
    "bevestigen\",\"who\":\"hr\",\"offset_days\":-30},"
    "{\"title\":\"Exitgesprek inplannen\",\"who\":\"hr\",\"offset_days\":-14},"
    "{\"title\":\"Lopend werk overdragen\",\"who\":\"manager\",\"offset_days\":-7},"
    "{\"title\":\"Laptop, telefoon, pas en gereedschap innemen\",\"who\":\"it\",\"offset_days\":0},"
    "{\"title\":\"Accounts blokkeren\",\"who\":\"it\",\"offset_days\":0},"
    "{\"title\":\"Eindafrekening en getuigschrift\",\"who\":\"hr\",\"offset_days\":7}]',"
    " '2026-12-06T00:00:00Z', '2026-12-06T00:00:00Z');"
    "UPDATE role_types SET attributes = substr(attributes, 1, length(attributes) - 1) ||"
    " ',{\"name\":\"vacancy\",\"type\":\"integer\",\"required\":false,\"sensitive\":false,"
    "\"label\":{\"en\":\"Vacancy\",\"nl\":\"Vacature\"},\"min\":1},"
    "{\"name\":\"stage\",\"type\":\"enum\",\"required\":false,\"sensitive\":false,"
    "\"label\":{\"en\":\"Application stage\",\"nl\":\"Sollicitatiefase\"},"
    "\"values\":[\"new\",\"interview\",\"offer\",\"hired\",\"rejected\"]}]'"
    " WHERE name = 'employee' AND builtin = 1 AND attributes NOT LIKE '%\"name\":\"stage\"%';";

/*
 * Partners (PRM): a deal's partner and how it came to it (given, or a
 * referral), commission lines of won partner deals (the base, pct and
 * amount as they were at the win, so history never changes), the tier
 * thresholds and default commission per tier (administrators change
 * them), and the tier proposals an evaluation makes.
 */
static const char m021_partners[] =
    "ALTER TABLE deals ADD COLUMN partner_id INTEGER REFERENCES parties(id);"
    "ALTER TABLE deals ADD COLUMN partner_source TEXT;"
    "CREATE INDEX deals_partner ON deals (partner_id, status);"
    "CREATE TABLE commissions ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " partner_id INTEGER NOT NULL REFERENCES parties(id), deal_id INTEGER NOT NULL,"
    " party_id INTEGER REFERENCES parties(id), won_on TEXT NOT NULL,"
    " base INTEGER NOT NULL, currency TEXT NOT NULL DEFAULT 'EUR', pct TEXT NOT NULL,"
    " pct_source TEXT NOT NULL, amount INTEGER NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('open','approved','paid','cancelled')),"
    " approved_by INTEGER REFERENCES users(id), approved_at TEXT, paid_at TEXT,"
    " cancelled_at TEXT, created_by INTEGER REFERENCES users(id),"
    " version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX commissions_partner ON commissions (partner_id, won_on);"
    "CREATE INDEX commissions_won ON commissions (won_on);"
    "CREATE INDEX commissions_deal ON commissions (deal_id, status);"
    "CREATE TABLE partner_tier_levels ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, tier TEXT NOT NULL,"
    " tier_order INTEGER NOT NULL, min_revenue INTEGER NOT NULL DEFAULT 0,"
    " min_certified INTEGER NOT NULL DEFAULT 0, commission_pct TEXT NOT NULL DEFAULT '0',"
    " created_by INTEGER REFERENCES users(id), version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE UNIQUE INDEX partner_tier_levels_tier ON partner_tier_levels (tenant, tier);"
    "INSERT INTO partner_tier_levels (tier, tier_order, min_revenue, min_certified, commission_pct,"
    " created_at, updated_at) VALUES"
    " ('bronze', 1, 0, 0, '5', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),"
    " ('silver', 2, 2500000, 0, '7.5', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),"
    " ('gold', 3, 10000000, 2, '10', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),"
    " ('strategic', 4, 50000000, 5, '12.5', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
    "CREATE TABLE tier_proposals ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id), role_id INTEGER NOT NULL,"
    " from_tier TEXT, to_tier TEXT NOT NULL, direction TEXT NOT NULL,"
    " revenue INTEGER NOT NULL, certified INTEGER NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('pending','accepted','rejected')),"
    " decided_by INTEGER REFERENCES users(id), decided_at TEXT,"
    " created_by INTEGER REFERENCES users(id), version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX tier_proposals_party ON tier_proposals (party_id, status);";

/*
 * Suppliers and public relations: supplier evaluations and the history of a
 * supplier's rating; PR projects with their stakeholders (influence and
 * interest 1-5, stance) and the history of each stakeholder's stance; press
 * releases and letters: an activity's embargo time and recipients (a
 * segment), and the log of a send per recipient.
 */
static const char m022_srm_pr[] =
    "CREATE TABLE supplier_evaluations ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id), period TEXT NOT NULL,"
    " quality INTEGER NOT NULL, delivery INTEGER NOT NULL, price INTEGER NOT NULL,"
    " communication INTEGER NOT NULL, note TEXT, created_by INTEGER REFERENCES users(id),"
    " version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX supplier_evaluations_party ON supplier_evaluations (party_id, period);"
    "CREATE TABLE supplier_rating_history ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER NOT NULL REFERENCES parties(id), from_rating INTEGER, to_rating INTEGER,"
    " evaluations INTEGER NOT NULL, user_id INTEGER REFERENCES users(id), at TEXT NOT NULL);"
    "CREATE INDEX supplier_rating_history_party ON supplier_rating_history (party_id, id);"
    "CREATE TABLE projects ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL,"
    " address TEXT, postcode TEXT, start_date TEXT, end_date TEXT, description TEXT,"
    " created_by INTEGER REFERENCES users(id), version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE TABLE project_stakeholders ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " project_id INTEGER NOT NULL REFERENCES projects(id),"
    " party_id INTEGER NOT NULL REFERENCES parties(id), influence INTEGER NOT NULL,"
    " interest INTEGER NOT NULL, stance TEXT NOT NULL, note TEXT,"
    " created_by INTEGER REFERENCES users(id), version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE UNIQUE INDEX project_stakeholders_party ON project_stakeholders (project_id, party_id);"
    "CREATE INDEX project_stakeholders_of_party ON project_stakeholders (party_id);"
    "CREATE TABLE stakeholder_stance_history ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " stakeholder_id INTEGER NOT NULL, project_id INTEGER NOT NULL,"
    " party_id INTEGER NOT NULL REFERENCES parties(id), from_stance TEXT, to_stance TEXT NOT NULL,"
    " user_id INTEGER REFERENCES users(id), at TEXT NOT NULL);"
    "CREATE INDEX stakeholder_stance_history_sh ON stakeholder_stance_history (stakeholder_id, id);"
    "CREATE INDEX stakeholder_stance_history_party ON stakeholder_stance_history (party_id);"
    "ALTER TABLE activities ADD COLUMN embargo TEXT;"
    "ALTER TABLE activities ADD COLUMN segment_id INTEGER;"
    "CREATE TABLE press_sends ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,"
    " party_id INTEGER NOT NULL REFERENCES parties(id), status TEXT NOT NULL, reason TEXT,"
    " at TEXT NOT NULL);"
    "CREATE INDEX press_sends_activity ON press_sends (activity_id, id);"
    "CREATE INDEX press_sends_party ON press_sends (party_id);";

/*
 * Quotes and invoices (sales) and purchase invoices (purchasing). A
 * document's lines and totals are JSON text (`lines`, `totals`); `net`,
 * `vat_total`, `gross` and `paid` are the amounts in cents kept beside them
 * for lists, the journal and the debtors. `seller` and `buyer` are the
 * snapshots (JSON) of the company settings and the customer taken when the
 * document is issued (sent, for a quote): a later change of either never
 * changes an issued document. Invoice numbers come from number_sequences,
 * one row per (name, year), counted up inside the issuing write, so the
 * numbers of a year have no gaps. The company logo is base64 text.
 */
static const char m023_billing[] =
    "CREATE TABLE company_settings ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, data TEXT NOT NULL,"
    " logo TEXT, logo_type TEXT, version INTEGER NOT NULL DEFAULT 1, updated_at TEXT NOT NULL);"
    "CREATE UNIQUE INDEX company_settings_tenant ON company_settings (tenant);"
    "CREATE TABLE number_sequences ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL,"
    " year INTEGER NOT NULL, last_no INTEGER NOT NULL DEFAULT 0);"
    "CREATE UNIQUE INDEX number_sequences_key ON number_sequences (tenant, name, year);"
    "CREATE TABLE quotes ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, number TEXT,"
    " party_id INTEGER NOT NULL REFERENCES parties(id), deal_id INTEGER REFERENCES deals(id),"
    " date TEXT NOT NULL, valid_until TEXT, status TEXT NOT NULL DEFAULT 'draft',"
    " currency TEXT NOT NULL DEFAULT 'EUR', lines TEXT NOT NULL DEFAULT '[]', note TEXT,"
    " net INTEGER NOT NULL DEFAULT 0, vat_total INTEGER NOT NULL DEFAULT 0,"
    " gross INTEGER NOT NULL DEFAULT 0, totals TEXT NOT NULL DEFAULT '{}',"
    " seller TEXT, buyer TEXT, sent_at TEXT, accept_token_hash TEXT, accepted_at TEXT,"
    " accepted_by TEXT, owner INTEGER REFERENCES users(id),"
    " created_by INTEGER REFERENCES users(id), version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE UNIQUE INDEX quotes_number ON quotes (tenant, number);"
    "CREATE INDEX quotes_party ON quotes (party_id, id);"
    "CREATE INDEX quotes_deal ON quotes (deal_id);"
    "CREATE INDEX quotes_status ON quotes (status, valid_until);"
    "CREATE TABLE invoices ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " kind TEXT NOT NULL DEFAULT 'invoice', number TEXT, year INTEGER, seq INTEGER,"
    " party_id INTEGER NOT NULL REFERENCES parties(id), deal_id INTEGER REFERENCES deals(id),"
    " quote_id INTEGER REFERENCES quotes(id), credit_of INTEGER REFERENCES invoices(id),"
    " date TEXT, due TEXT, status TEXT NOT NULL DEFAULT 'draft',"
    " currency TEXT NOT NULL DEFAULT 'EUR', lines TEXT NOT NULL DEFAULT '[]', note TEXT,"
    " net INTEGER NOT NULL DEFAULT 0, vat_total INTEGER NOT NULL DEFAULT 0,"
    " gross INTEGER NOT NULL DEFAULT 0, totals TEXT NOT NULL DEFAULT '{}',"
    " paid INTEGER NOT NULL DEFAULT 0, seller TEXT, buyer TEXT, issued_at TEXT,"
    " issued_by INTEGER REFERENCES users(id), reminder_level INTEGER NOT NULL DEFAULT 0,"
    " last_reminder TEXT, collection_costs INTEGER NOT NULL DEFAULT 0, task_id INTEGER,"
    " created_by INTEGER REFERENCES users(id), version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE UNIQUE INDEX invoices_number ON invoices (tenant, number);"
    "CREATE UNIQUE INDEX invoices_seq ON invoices (tenant, kind, year, seq);"
    "CREATE INDEX invoices_party ON invoices (party_id, id);"
    "CREATE INDEX invoices_status ON invoices (status, due);"
    "CREATE INDEX invoices_date ON invoices (date);"
    "CREATE INDEX invoices_credit_of ON invoices (credit_of);"
    "CREATE INDEX invoices_quote ON invoices (quote_id);"
    "CREATE TABLE invoice_payments ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " invoice_id INTEGER NOT NULL REFERENCES invoices(id), amount INTEGER NOT NULL,"
    " date TEXT NOT NULL, note TEXT, created_by INTEGER REFERENCES users(id),"
    " created_at TEXT NOT NULL);"
    "CREATE INDEX invoice_payments_invoice ON invoice_payments (invoice_id, id);"
    "CREATE TABLE invoice_reminders ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " invoice_id INTEGER NOT NULL REFERENCES invoices(id), level INTEGER NOT NULL,"
    " kind TEXT NOT NULL, date TEXT NOT NULL, pay_by TEXT, costs INTEGER NOT NULL DEFAULT 0,"
    " activity_id INTEGER REFERENCES activities(id) ON DELETE SET NULL,"
    " created_by INTEGER REFERENCES users(id), created_at TEXT NOT NULL);"
    "CREATE INDEX invoice_reminders_invoice ON invoice_reminders (invoice_id, id);"
    "CREATE TABLE purchase_invoices ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " party_id INTEGER REFERENCES parties(id), kind TEXT NOT NULL DEFAULT 'invoice',"
    " number TEXT NOT NULL, supplier_name TEXT, supplier_vat TEXT, supplier_kvk TEXT,"
    " date TEXT, due TEXT, currency TEXT NOT NULL DEFAULT 'EUR', lines TEXT NOT NULL DEFAULT '[]',"
    " net INTEGER NOT NULL DEFAULT 0, vat_total INTEGER NOT NULL DEFAULT 0,"
    " gross INTEGER NOT NULL DEFAULT 0, totals TEXT NOT NULL DEFAULT '{}',"
    " status TEXT NOT NULL DEFAULT 'received', xml TEXT NOT NULL, sha256 TEXT NOT NULL,"
    " created_by INTEGER REFERENCES users(id), version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE UNIQUE INDEX purchase_invoices_sha ON purchase_invoices (tenant, sha256);"
    "CREATE INDEX purchase_invoices_party ON purchase_invoices (party_id, id);";

/*
 * Quotes and invoices: the customer role type gets `debtor_number` (given
 * at the party's first issued invoice, from the "debtor" sequence), before
 * its payment term.
 */
static const char m024_debtor_number[] =
    "UPDATE role_types SET attributes = replace(attributes, '{\"name\":\"payment_terms_days\"',"
    " '{\"name\":\"debtor_number\",\"type\":\"string\",\"required\":false,"
    "\"sensitive\":false,\"label\":{\"en\":\"Debtor number\",\"nl\":\"Debiteurnummer\"}},"
    "{\"name\":\"payment_terms_days\"')"
    " WHERE name = 'customer' AND builtin = 1 AND attributes NOT LIKE '%\"debtor_number\"%';";

/* background jobs: one row per job of the scheduler (domain/base/jobs.c) */
static const char m027_jobs[] =
    "CREATE TABLE jobs ("
    " name TEXT PRIMARY KEY, period TEXT NOT NULL, last_run TEXT, result TEXT, message TEXT,"
    " duration_ms INTEGER, next_run TEXT NOT NULL, claimed_by TEXT, updated_at TEXT NOT NULL);";

/*
 * Purchase invoices: how the supplier was found (vat, kvk, manual, none), and
 * parties by BTW-id (the match of an uploaded UBL invoice).
 */
static const char m025_purchase_match[] =
    "ALTER TABLE purchase_invoices ADD COLUMN match_by TEXT NOT NULL DEFAULT 'none';"
    "CREATE INDEX parties_vat ON parties (vat);";

/*
 * E-mail and documents, the tables more than one module shares.
 * - documents: files on a record (record_kind + record_id; party_id is the
 *   party the record is about, for erase, retention and merge), in the
 *   record's domain; the content is addressed by its SHA-256 (hex) and kept
 *   once however often it is uploaded: on disk next to a SQLite database,
 *   as a large object in PostgreSQL (document_blobs.oid).
 * - mail_outbox: every mail to send, written in the same transaction as the
 *   action that sends it, the whole RFC 5322 message as built then (a retry
 *   sends the same bytes), delivered by the outbox worker.
 * - mail_messages: every mail sent or received by its Message-ID (without
 *   the angle brackets), with the activity that logs it and the record it
 *   is about (entity, entity_id: a case, quote, invoice, press release or
 *   campaign), so that a reply is threaded onto that record.
 */
static const char m028_mail_documents[] =
    "CREATE TABLE documents ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " record_kind TEXT NOT NULL, record_id INTEGER NOT NULL,"
    " party_id INTEGER REFERENCES parties(id), domain TEXT NOT NULL, name TEXT NOT NULL,"
    " type TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,"
    " created_by INTEGER REFERENCES users(id), created_at TEXT NOT NULL);"
    "CREATE INDEX documents_record ON documents (record_kind, record_id, id);"
    "CREATE INDEX documents_party ON documents (party_id);"
    "CREATE INDEX documents_sha256 ON documents (sha256);"
    "CREATE TABLE document_blobs ("
    " sha256 TEXT PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, size INTEGER NOT NULL,"
    " oid INTEGER, created_at TEXT NOT NULL);"
    "CREATE TABLE mail_outbox ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " message_id TEXT NOT NULL UNIQUE, mail_from TEXT NOT NULL, rcpt TEXT NOT NULL,"
    " message TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('queued','sending','sent','failed')),"
    " attempts INTEGER NOT NULL DEFAULT 0, next_at TEXT NOT NULL, last_error TEXT,"
    " campaign_id INTEGER, created_by INTEGER REFERENCES users(id), created_at TEXT NOT NULL,"
    " sent_at TEXT);"
    "CREATE INDEX mail_outbox_due ON mail_outbox (status, next_at, id);"
    "CREATE INDEX mail_outbox_campaign ON mail_outbox (campaign_id);"
    "CREATE TABLE mail_messages ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, message_id TEXT NOT NULL,"
    " direction TEXT NOT NULL CHECK (direction IN ('out','in')),"
    " activity_id INTEGER REFERENCES activities(id) ON DELETE CASCADE,"
    " entity TEXT, entity_id INTEGER, in_reply_to TEXT, from_addr TEXT, to_addrs TEXT,"
    " subject TEXT, outbox_id INTEGER, mailbox_id INTEGER, at TEXT NOT NULL);"
    "CREATE INDEX mail_messages_message_id ON mail_messages (message_id);"
    "CREATE INDEX mail_messages_activity ON mail_messages (activity_id);"
    "CREATE INDEX mail_messages_entity ON mail_messages (entity, entity_id);";

/*
 * E-mail templates: subject and body per key and language (nl, en) with
 * placeholders such as {{salutation}} rendered per recipient
 * (domain/mail/template.h); the built-in ones (builtin = 1) may be edited by
 * administrators but not deleted.
 */
static const char m029_mail_templates[] =
    "CREATE TABLE mail_templates ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, key TEXT NOT NULL,"
    " lang TEXT NOT NULL CHECK (lang IN ('nl','en')), name TEXT NOT NULL,"
    " subject TEXT NOT NULL, body TEXT NOT NULL, builtin INTEGER NOT NULL DEFAULT 0,"
    " created_by INTEGER REFERENCES users(id), version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE UNIQUE INDEX mail_templates_key ON mail_templates (tenant, key, lang);"
    "INSERT INTO mail_templates (key, lang, name, subject, body, builtin, created_at,"
    " updated_at) VALUES"
    " ('general', 'nl', 'Algemeen', 'Bericht van {{sender}}',"
    " '{{salutation}}\n"
    "\n"
    "\n"
    "\n"
    "Met vriendelijke groet,\n"
    "\n"
    "{{sender}}', 1, '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),"
    " ('general', 'en', 'General', 'Message from {{sender}}',"
    " '{{salutation}}\n"
    "\n"
    "\n"
    "\n"
    "Kind regards,\n"
    "\n"
    "{{sender}}', 1, '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),"
    " ('case_reply', 'nl', 'Antwoord op melding', 'Re: {{title}} [melding {{number}}]',"
    " '{{salutation}}\n"
    "\n"
    "Hartelijk dank voor uw bericht over “{{title}}”.\n"
    "\n"
    "\n"
    "\n"
    "Heeft u nog vragen? Beantwoord dan deze e-mail; uw reactie komt direct bij uw melding "
    "terecht.\n"
    "\n"
    "Met vriendelijke groet,\n"
    "\n"
    "{{sender}}', 1, '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),"
    " ('case_reply', 'en', 'Case reply', 'Re: {{title}} [case {{number}}]',"
    " '{{salutation}}\n"
    "\n"
    "Thank you for your message about “{{title}}”.\n"
    "\n"
    "\n"
    "\n"
    "If you have any further questions, simply reply to this e-mail; your answer is added to your "
    "case straight away.\n"
    "\n"
    "Kind regards,\n"
    "\n"
    "{{sender}}', 1, '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),"
    " ('quote', 'nl', 'Offerte', 'Offerte {{number}}',"
    " '{{salutation}}\n"
    "\n"
    "Hierbij ontvangt u onze offerte {{number}} ter waarde van {{amount}}, geldig tot en met "
    "{{due}}. De offerte is als pdf bijgevoegd.\n"
    "\n"
    "Gaat u akkoord? Dan kunt u de offerte via de volgende link direct online accepteren:\n"
    "{{accept_url}}\n"
    "\n"
    "Heeft u vragen over deze offerte, neem dan gerust contact met ons op.\n"
    "\n"
    "Met vriendelijke groet,\n"
    "\n"
    "{{sender}}', 1, '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),"
    " ('quote', 'en', 'Quote', 'Quote {{number}}',"
    " '{{salutation}}\n"
    "\n"
    "Please find attached our quote {{number}} for {{amount}}, valid until {{due}}.\n"
    "\n"
    "If you agree, you can accept the quote online at once through this link:\n"
    "{{accept_url}}\n"
    "\n"
    "Should you have any questions about this quote, please do not hesitate to contact us.\n"
    "\n"
    "Kind regards,\n"
    "\n"
    "{{sender}}', 1, '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),"
    " ('invoice', 'nl', 'Factuur', 'Factuur {{number}}',"
    " '{{salutation}}\n"
    "\n"
    "Bijgaand ontvangt u factuur {{number}} voor een bedrag van {{amount}}. Wij verzoeken u dit "
    "bedrag uiterlijk {{due}} over te maken onder vermelding van het factuurnummer.\n"
    "\n"
    "Heeft u vragen over deze factuur, neem dan gerust contact met ons op.\n"
    "\n"
    "Met vriendelijke groet,\n"
    "\n"
    "{{sender}}', 1, '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),"
    " ('invoice', 'en', 'Invoice', 'Invoice {{number}}',"
    " '{{salutation}}\n"
    "\n"
    "Please find attached invoice {{number}} for {{amount}}. We kindly ask you to pay this amount "
    "by {{due}}, quoting the invoice number.\n"
    "\n"
    "Should you have any questions about this invoice, please do not hesitate to contact us.\n"
    "\n"
    "Kind regards,\n"
    "\n"
    "{{sender}}', 1, '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),"
    " ('reminder', 'nl', 'Betalingsherinnering', 'Herinnering: factuur {{number}}',"
    " '{{salutation}}\n"
    "\n"
    "Volgens onze administratie hebben wij de betaling van factuur {{number}} van {{amount}}, met "
    "vervaldatum {{due}}, nog niet ontvangen. Wellicht is dit aan uw aandacht ontsnapt.\n"
    "\n"
    "Wij verzoeken u het openstaande bedrag binnen veertien dagen over te maken onder vermelding "
    "van het factuurnummer. Heeft u inmiddels betaald, dan kunt u deze herinnering als niet "
    "verzonden beschouwen.\n"
    "\n"
    "Met vriendelijke groet,\n"
    "\n"
    "{{sender}}', 1, '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),"
    " ('reminder', 'en', 'Payment reminder', 'Reminder: invoice {{number}}',"
    " '{{salutation}}\n"
    "\n"
    "According to our records we have not yet received payment of invoice {{number}} for "
    "{{amount}}, which was due on {{due}}. Perhaps this has escaped your attention.\n"
    "\n"
    "We kindly ask you to pay the outstanding amount within fourteen days, quoting the invoice "
    "number. If you have already paid, please disregard this reminder.\n"
    "\n"
    "Kind regards,\n"
    "\n"
    "{{sender}}', 1, '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),"
    " ('press_release', 'nl', 'Persbericht', 'Persbericht: {{title}}',"
    " '{{salutation}}\n"
    "\n"
    "Graag brengen wij het onderstaande persbericht onder uw aandacht.\n"
    "\n"
    "{{release}}\n"
    "\n"
    "Voor meer informatie kunt u contact opnemen met {{sender}}.\n"
    "\n"
    "Met vriendelijke groet,\n"
    "\n"
    "{{sender}}', 1, '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),"
    " ('press_release', 'en', 'Press release', 'Press release: {{title}}',"
    " '{{salutation}}\n"
    "\n"
    "We would like to bring the press release below to your attention.\n"
    "\n"
    "{{release}}\n"
    "\n"
    "For more information, please contact {{sender}}.\n"
    "\n"
    "Kind regards,\n"
    "\n"
    "{{sender}}', 1, '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),"
    " ('newsletter', 'nl', 'Nieuwsbrief', 'Nieuws van {{sender}}',"
    " '{{salutation}}\n"
    "\n"
    "\n"
    "\n"
    "Met vriendelijke groet,\n"
    "\n"
    "{{sender}}\n"
    "\n"
    "--\n"
    "Wilt u deze berichten niet meer ontvangen? Meld u af via {{unsubscribe_url}}', 1, "
    "'2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z'),"
    " ('newsletter', 'en', 'Newsletter', 'News from {{sender}}',"
    " '{{salutation}}\n"
    "\n"
    "\n"
    "\n"
    "Kind regards,\n"
    "\n"
    "{{sender}}\n"
    "\n"
    "--\n"
    "No longer wish to receive these messages? Unsubscribe at {{unsubscribe_url}}', 1, "
    "'2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z');";

/*
 * Campaigns (newsletters, neighbour letters): a mail to the members of a
 * segment whose may_email holds at send time. campaigns is a record kind
 * (domain/mail/campaign.h); report is the snapshot taken at sending (the
 * API recomputes it from campaign_recipients and mail_outbox). One row per
 * member in campaign_recipients: queued (with its outbox row) or skipped
 * with the reason; token_hash is the SHA-256 (hex) of the recipient's
 * unsubscribe token (RFC 8058 one-click), unsubscribed_at when used.
 */
static const char m030_campaigns[] =
    "CREATE TABLE campaigns ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL,"
    " segment_id INTEGER, subject TEXT NOT NULL, body TEXT NOT NULL, domain TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','sending','sent')),"
    " report TEXT, sent_at TEXT, created_by INTEGER REFERENCES users(id),"
    " version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX campaigns_domain ON campaigns (domain, id);"
    "CREATE TABLE campaign_recipients ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " campaign_id INTEGER NOT NULL REFERENCES campaigns(id),"
    " party_id INTEGER NOT NULL REFERENCES parties(id), email TEXT,"
    " status TEXT NOT NULL CHECK (status IN ('queued','skipped')), reason TEXT,"
    " outbox_id INTEGER, token_hash TEXT UNIQUE, unsubscribed_at TEXT, at TEXT NOT NULL);"
    "CREATE INDEX campaign_recipients_campaign ON campaign_recipients (campaign_id, id);"
    "CREATE INDEX campaign_recipients_party ON campaign_recipients (party_id);";

/*
 * Mail received (domain/mail/inbound.c, mailbox.c).
 * - mailboxes: IMAP mailboxes polled for a domain. password is kept to log
 *   in to the IMAP server (it must be usable, so it is not hashed); the API
 *   takes it but never sends it back (has_password says whether one is set).
 *   last_uid / uidvalidity: where the last poll stopped (a new UIDVALIDITY
 *   starts over; Message-IDs keep that idempotent). bcc_address: mail sent
 *   to it (Delivered-To, X-Original-To, To or Cc) is a user's own outgoing
 *   mail, logged on the recipients.
 * - mail_review: received mail whose sender matched no party, kept until
 *   someone assigns it to a party or discards it; raw is the whole message
 *   in base64 (its attachments are stored when it is assigned). Personal
 *   data: from_addr, from_name, subject, text, raw (retention and erasure
 *   remove them; assigned rows point at their activity).
 */
static const char m031_mail_in[] =
    "CREATE TABLE mailboxes ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL,"
    " domain TEXT NOT NULL, imap_url TEXT, username TEXT, password TEXT,"
    " folder TEXT NOT NULL DEFAULT 'INBOX', bcc_address TEXT,"
    " last_uid INTEGER NOT NULL DEFAULT 0, uidvalidity INTEGER NOT NULL DEFAULT 0,"
    " enabled INTEGER NOT NULL DEFAULT 1, last_poll TEXT, last_error TEXT,"
    " created_by INTEGER REFERENCES users(id), version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE TABLE mail_review ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, mailbox_id INTEGER,"
    " domain TEXT NOT NULL, message_id TEXT NOT NULL, from_addr TEXT NOT NULL, from_name TEXT,"
    " subject TEXT NOT NULL, text TEXT NOT NULL, raw TEXT, received_at TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('review','assigned','discarded')),"
    " activity_id INTEGER REFERENCES activities(id) ON DELETE SET NULL,"
    " decided_by INTEGER REFERENCES users(id), decided_at TEXT);"
    "CREATE UNIQUE INDEX mail_review_message ON mail_review (tenant, domain, message_id);"
    "CREATE INDEX mail_review_status ON mail_review (status, id);"
    "CREATE INDEX mail_review_from ON mail_review (from_addr);";

/*
 * CardDAV and CalDAV (domain/dav/, http/dav.c).
 * - dav_cards / dav_events: the resource name and UID a client chose for a
 *   party's card or an activity's calendar object, so a contact or task made
 *   on a phone keeps its href and UID (a client that saw them change would
 *   make a duplicate). Records without a row use "<uid>.vcf" and
 *   "xrm-activity-<id>.ics" with the server's UID.
 * - dav_sync: the members (name and ETag per line, sorted) of a collection
 *   as one user saw it when a sync token was handed out; sync-collection
 *   answers the difference to what the user sees now (so a party that
 *   becomes hidden is reported removed). The latest few per user and
 *   collection are kept.
 * - dav_segments: the segments a user syncs as address books of their own.
 * - party_photos: a party's photo (from a vCard PHOTO), at most 1 MB.
 *   Personal data: erasure and retention remove it with the party.
 */
static const char m032_dav[] =
    "CREATE TABLE dav_cards ("
    " party_id INTEGER PRIMARY KEY REFERENCES parties(id) ON DELETE CASCADE,"
    " tenant INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL, uid TEXT NOT NULL,"
    " UNIQUE (tenant, name));"
    "CREATE TABLE dav_events ("
    " activity_id INTEGER PRIMARY KEY REFERENCES activities(id) ON DELETE CASCADE,"
    " tenant INTEGER NOT NULL DEFAULT 1, name TEXT NOT NULL, uid TEXT NOT NULL,"
    " UNIQUE (tenant, name));"
    "CREATE TABLE dav_sync ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " collection TEXT NOT NULL, token TEXT NOT NULL UNIQUE, members TEXT NOT NULL,"
    " at TEXT NOT NULL);"
    "CREATE INDEX dav_sync_user ON dav_sync (user_id, collection, id);"
    "CREATE TABLE dav_segments ("
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,"
    " tenant INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (user_id, segment_id));"
    "CREATE TABLE party_photos ("
    " party_id INTEGER PRIMARY KEY REFERENCES parties(id) ON DELETE CASCADE,"
    " tenant INTEGER NOT NULL DEFAULT 1, media_type TEXT NOT NULL, data BLOB NOT NULL,"
    " sha256 TEXT NOT NULL, updated_at TEXT NOT NULL);";

/*
 * Webhooks (domain/webhooks/).
 * - webhooks: an administrator's subscription: the URL deliveries are
 *   POSTed to, the events (a JSON array of event names, or ["*"]) and the
 *   domains (a JSON array; empty: every domain the owner may read) it wants,
 *   the secret that signs each delivery (kept as given: signing needs it;
 *   the API never sends it back), the owner whose access shapes each body.
 * - webhook_deliveries: the durable outbox, one row per event and
 *   subscription, written in the same transaction as the change it tells
 *   of; body is the JSON as it is sent (rendered then, as the owner could
 *   see the record). pending rows are due at next_at; a worker claims one
 *   (sending, attempts + 1), POSTs it and marks it delivered, pending again
 *   with a later next_at, or dead once the retry window is over. party_id:
 *   the party the event is about (the record's party; the first of an
 *   activity's), so erasing the party removes the copies of its data here.
 */
static const char m033_webhooks[] =
    "CREATE TABLE webhooks ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1, url TEXT NOT NULL,"
    " events TEXT NOT NULL, domains TEXT NOT NULL DEFAULT '[]', secret TEXT NOT NULL,"
    " enabled INTEGER NOT NULL DEFAULT 1, description TEXT,"
    " owner_id INTEGER REFERENCES users(id), version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE TABLE webhook_deliveries ("
    " id INTEGER PRIMARY KEY, tenant INTEGER NOT NULL DEFAULT 1,"
    " webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,"
    " event TEXT NOT NULL, event_id TEXT NOT NULL, domain TEXT, party_id INTEGER,"
    " body TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('pending','sending','delivered','dead')),"
    " attempts INTEGER NOT NULL DEFAULT 0, next_at TEXT NOT NULL, last_status INTEGER,"
    " last_error TEXT, created_at TEXT NOT NULL, delivered_at TEXT);"
    "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_at);"
    "CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id);"
    "CREATE INDEX webhook_deliveries_party ON webhook_deliveries (party_id);";

/*
 * Search pages that stop early (issue 24): record_text ids in party order.
 * A row's id is its party's id << 24 plus its number among the party's rows
 * (16,777,215 rows per party at most), so record_fts, whose rowid is that
 * id, gives a word's records party by party, the newest party first, as
 * party_fts gives parties; a search page walks both in step and stops when
 * it is full (domain/party/fulltext-db.h) where before it gathered every
 * match of its words (1.4 million records for "gra" at 1M parties). The
 * rows are renumbered in that order, the index is rebuilt, and every
 * trigger that adds a row gives it its id. PostgreSQL keeps its ids: its
 * search gathers the matches through GIN either way (migrations-pg.c).
 */
// clang-format off
#define M034_INS "INSERT INTO record_text (id, tenant, kind, record_id, party_id, domain, type, body) "
#define M034_ID(party)                                                                             \
    "((" party ") << 24) + 1 + coalesce((SELECT max(x.id) - ((" party ") << 24) FROM record_text x" \
    " WHERE x.id >= ((" party ") << 24) AND x.id < (((" party ") + 1) << 24)), 0)"
#define M034_ONE(table, kind, domain, type, text, cols)                                            \
    "DROP TRIGGER " table "_text_ai; DROP TRIGGER " table "_text_au;"                              \
    "CREATE TRIGGER " table "_text_ai AFTER INSERT ON " table " BEGIN " M034_INS "VALUES ("        \
    M034_ID("new.party_id") ", new.tenant, '" kind "', new.id, new.party_id, " domain ", " type    \
    ", " text "); END;"                                                                            \
    "CREATE TRIGGER " table "_text_au AFTER UPDATE OF " cols " ON " table " BEGIN "               \
    M013_DEL(kind, "old.id") " " M034_INS "VALUES (" M034_ID("new.party_id") ", new.tenant, '"    \
    kind "', new.id, new.party_id, " domain ", " type ", " text "); END;"
static const char m034_record_text_order[] =
    "DROP TRIGGER record_text_ai; DROP TRIGGER record_text_ad; DROP TABLE record_fts;"
    "CREATE TEMP TABLE m034_text AS SELECT"
    " (party_id << 24) + row_number() OVER (PARTITION BY party_id ORDER BY id) AS id,"
    " tenant, kind, record_id, party_id, domain, type, body FROM record_text;"
    "DELETE FROM record_text;"
    "INSERT INTO record_text (id, tenant, kind, record_id, party_id, domain, type, body)"
    " SELECT id, tenant, kind, record_id, party_id, domain, type, body FROM m034_text ORDER BY id;"
    "DROP TABLE m034_text;"
    "CREATE VIRTUAL TABLE record_fts USING fts5(body, content = 'record_text',"
    " content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');"
    "INSERT INTO record_fts (record_fts) VALUES ('rebuild');"
    "CREATE TRIGGER record_text_ai AFTER INSERT ON record_text BEGIN"
    " INSERT INTO record_fts (rowid, body) VALUES (new.id, new.body); END;"
    "CREATE TRIGGER record_text_ad AFTER DELETE ON record_text BEGIN"
    " INSERT INTO record_fts (record_fts, rowid, body) VALUES ('delete', old.id, old.body); END;"
    "DROP TRIGGER activity_parties_text_ai; DROP TRIGGER activity_parties_text_au;"
    "DROP TRIGGER activities_text_au;"
    "CREATE TRIGGER activity_parties_text_ai AFTER INSERT ON activity_parties BEGIN " M034_INS
    "SELECT " M034_ID("new.party_id") ", a.tenant, 'activity', a.id, new.party_id, a.domain,"
    " a.type, " M013_ACT_TEXT("a") " FROM activities a WHERE a.id = new.activity_id; END;"
    "CREATE TRIGGER activity_parties_text_au AFTER UPDATE OF activity_id, party_id"
    " ON activity_parties BEGIN"
    " DELETE FROM record_text WHERE kind = 'activity' AND record_id = old.activity_id"
    " AND party_id = old.party_id; " M034_INS
    "SELECT " M034_ID("new.party_id") ", a.tenant, 'activity', a.id, new.party_id, a.domain,"
    " a.type, " M013_ACT_TEXT("a") " FROM activities a WHERE a.id = new.activity_id; END;"
    "CREATE TRIGGER activities_text_au AFTER UPDATE OF type, domain, subject, body ON activities"
    " BEGIN " M013_DEL("activity", "old.id") " " M034_INS
    "SELECT " M034_ID("ap.party_id") ", new.tenant, 'activity', new.id, ap.party_id, new.domain,"
    " new.type, " M013_ACT_TEXT("new") " FROM activity_parties ap WHERE ap.activity_id = new.id;"
    " END;"
    M034_ONE("cases", "case", "new.domain", "'case'",
             "new.subject || ' ' || coalesce(new.description, '')",
             "party_id, domain, subject, description")
    M034_ONE("deals", "deal", "'sales'", "'deal'",
             "new.title || ' ' || coalesce(new.lost_reason, '')", "party_id, title, lost_reason")
    M034_ONE("agreements", "agreement", "new.domain", "new.kind",
             "new.title || ' ' || coalesce(new.notes, '')", "party_id, domain, kind, title, notes");
// clang-format on

const struct xrm_migration xrm_migrations_sqlite[] = {
    {1, "core", m001_core},
    {2, "activity-order", m002_activity_order},
    {3, "privacy", m003_privacy},
    {4, "rules", m004_rules},
    {5, "sales", m005_sales},
    {6, "relationship-cover", m006_relationship_cover},
    {7, "index-tables", m007_index_tables},
    {8, "access", m008_access},
    {9, "session-links", m009_session_links},
    /* duplicates */
    {10, "party-keys", m010_party_keys},
    /* import jobs */
    {11, "imports", m011_imports},
    /* merge */
    {12, "merges", m012_merges},
    /* full-text search of records' text */
    {13, "record-text", m013_record_text},
    /* lists */
    {14, "list-sort", m014_list_sort},
    /* cases: the reason of the SLA */
    {15, "case-sla-reason", m015_case_sla_reason},
    /* party page */
    {16, "money-attributes", m016_money_attributes},
    /* HR: departments */
    {17, "departments", m017_departments},
    /* HR: the organisation: department ids, one manager, employment history */
    {18, "organisation", m018_organisation},
    /* HR absence: absences, the Poortwachter steps */
    {19, "absences", m019_absences},
    /* HR: on- and offboarding checklists, vacancies */
    {20, "checklists-vacancies", m020_checklists_vacancies},
    /* partners: deal partner, commissions, tiers */
    {21, "partners", m021_partners},
    /* suppliers and public relations */
    {22, "srm-pr", m022_srm_pr},
    /* quotes and invoices, purchase invoices */
    {23, "billing", m023_billing},
    /* quotes and invoices: the customer's debtor number */
    {24, "debtor-number", m024_debtor_number},
    /* purchase invoices: the supplier match */
    {25, "purchase-match", m025_purchase_match},
    /* background jobs */
    {27, "jobs", m027_jobs},
    {28, "mail-documents", m028_mail_documents},
    /* e-mail sending: templates */
    {29, "mail-templates", m029_mail_templates},
    /* campaigns */
    {30, "campaigns", m030_campaigns},
    /* mail received: mailboxes and the review list */
    {31, "mail-in", m031_mail_in},
    /* CardDAV and CalDAV */
    {32, "dav", m032_dav},
    /* webhooks */
    {33, "webhooks", m033_webhooks},
    /* search pages that stop early: record_text ids in party order */
    {34, "record-text-order", m034_record_text_order},
};
const int xrm_migrations_sqlite_count =
    (int)(sizeof(xrm_migrations_sqlite) / sizeof(xrm_migrations_sqlite[0]));
