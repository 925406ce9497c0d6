// Verifies an accred-ops badge export with verifiers accred-ops did not write, offline.
//
//   node verify.mjs EXPORT_DIR BASE_URL SCHEMA_FILE
//
// Network access is replaced by the export folder: a URL under BASE_URL is answered from
// EXPORT_DIR (the DID document, the status list, the keys), 1EdTech's OB 3.0 schema URL from
// SCHEMA_FILE, and anything else fails (and is reported in `refused`). JSON-LD contexts come
// from the verifier's own bundled copies. Prints one JSON object on stdout:
//   {dcc: {file: result}, safeMode: {file: "ok" | error}, jose: {file: "ok" | error}, refused}
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

const [dir, base, schemaFile] = process.argv.slice(2);
const SCHEMA = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';
const refused = [];

globalThis.fetch = async (input) => {
  const url = typeof input === 'string' ? input : (input.url ?? String(input));
  let file = null;
  if (url.startsWith(base + '/')) file = path.join(dir, url.slice(base.length + 1).split('#')[0]);
  else if (url === SCHEMA) file = schemaFile;
  if (file === null) {
    refused.push(url);
    throw new TypeError(`offline: ${url} is not in the export`);
  }
  try {
    const body = await readFile(file);
    const type = file.endsWith('.json') ? 'application/json' : 'text/plain';
    return new Response(body, { status: 200, headers: { 'content-type': type } });
  } catch {
    return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  }
};

const { verifyCredential } = await import('@digitalcredentials/verifier-core');
const { securityLoader } = await import('@digitalcredentials/security-document-loader');
const jsonld = (await import('jsonld')).default;
const jose = await import('jose');

const bundled = securityLoader({ fetchRemoteContexts: false }).build();
const files = (await readdir(path.join(dir, 'credentials'))).sort();
const out = { dcc: {}, safeMode: {}, jose: {}, refused };

for (const name of files.filter((f) => f.endsWith('.json'))) {
  const credential = JSON.parse(await readFile(path.join(dir, 'credentials', name), 'utf8'));
  const result = await verifyCredential({ credential, knownDIDRegistries: [] });
  delete result.credential;
  for (const e of result.errors ?? []) if (e.stackTrace) e.stackTrace = String(e.stackTrace);
  out.dcc[name] = result;
}
const statusList = path.join('status', 'revocation.json');
for (const name of [...files.filter((f) => f.endsWith('.json')).map((f) => path.join('credentials', f)), statusList]) {
  const doc = JSON.parse(await readFile(path.join(dir, name), 'utf8'));
  try {
    await jsonld.expand(doc, { safe: true, documentLoader: bundled });
    out.safeMode[name] = 'ok';
  } catch (error) {
    out.safeMode[name] = `${error.name}: ${error.message} ${JSON.stringify(error.details ?? {})}`;
  }
}
for (const name of files.filter((f) => f.endsWith('.jwt'))) {
  const token = (await readFile(path.join(dir, 'credentials', name), 'utf8')).trim();
  try {
    const { kid, alg } = jose.decodeProtectedHeader(token);
    const jwk = await (await fetch(kid)).json();  // the kid must dereference to a bare JWK
    const key = await jose.importJWK(jwk, alg);
    const { payload } = await jose.jwtVerify(token, key);
    out.jose[name] = payload.id && payload.iss ? 'ok' : 'no id or iss';
  } catch (error) {
    out.jose[name] = `${error.name}: ${error.message}`;
  }
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
