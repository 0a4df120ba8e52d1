// /core/error-handling/invalid-input — own implementation for the wpb project (not taken
// from Logius' linter). An operation that takes a request body or query parameters can get
// invalid input, and invalid input is answered with 400, so the 400 response is documented.

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export default function adrInvalidInput(item, _options, context) {
  const results = [];
  if (!item || typeof item !== 'object') return results;
  const shared = Array.isArray(item.parameters) ? item.parameters : [];
  for (const method of METHODS) {
    const operation = item[method];
    if (!operation || typeof operation !== 'object') continue;
    const own = Array.isArray(operation.parameters) ? operation.parameters : [];
    const takesQuery = [...shared, ...own].some((p) => p && p.in === 'query');
    if (!operation.requestBody && !takesQuery) continue;
    const responses = operation.responses || {};
    if (!Object.prototype.hasOwnProperty.call(responses, '400')) {
      results.push({
        message: `${method.toUpperCase()} neemt ${operation.requestBody ? 'een body' : 'queryparameters'} maar documenteert geen 400`,
        path: [...context.path, method, 'responses'],
      });
    }
  }
  return results;
}
