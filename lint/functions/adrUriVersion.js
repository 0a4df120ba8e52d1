// /core/uri-version — own implementation for the wpb project (not taken from Logius' linter).
// The base path of every server ends in "v" + the major version only (v1, not v1.2 and not a
// bare number), and that major version is the one of info.version.

export default function adrUriVersion(doc) {
  const results = [];
  if (!doc || typeof doc !== 'object') return results;
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  if (servers.length === 0) {
    return [{ message: 'Geen servers: de basis-URL met het hoofdversienummer ontbreekt', path: ['servers'] }];
  }
  const version = String((doc.info && doc.info.version) || '');
  const major = version.split('.')[0];
  servers.forEach((server, index) => {
    const url = String((server && server.url) || '');
    // The path part only: drop scheme and host, query and a single closing slash.
    const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/)[0].replace(/\/$/, '');
    const last = path.split('/').pop() || '';
    const found = /^v(\d+)$/.exec(last);
    if (!found) {
      results.push({
        message: `Server-URL "${url}" eindigt niet op /v<hoofdversie>`,
        path: ['servers', index, 'url'],
      });
    } else if (major !== '' && found[1] !== major) {
      results.push({
        message: `Server-URL "${url}" noemt v${found[1]}, maar info.version is ${version}`,
        path: ['servers', index, 'url'],
      });
    }
  });
  return results;
}
