// The API browser: Swagger UI over each service's OpenAPI document, all read through this origin.
const root = document.getElementById('api-browser');
const documents = JSON.parse(root.dataset.documents);

function cookie(name) {
  const prefix = name + '=';
  const found = document.cookie.split('; ').find((part) => part.startsWith(prefix));
  return found ? decodeURIComponent(found.substring(prefix.length)) : null;
}

window.apiBrowser = SwaggerUIBundle({
  urls: documents,
  'urls.primaryName': documents[0].name,
  domNode: root,
  deepLinking: true,
  // The public validator would be a third-party image, which the Content-Security-Policy refuses anyway.
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
  // Signed in to the web app, "try it out" uses the session cookie: unsafe calls need its CSRF token.
  requestInterceptor: (request) => {
    const method = (request.method || 'GET').toUpperCase();
    const token = cookie('XSRF-TOKEN');
    if (token && !['GET', 'HEAD', 'OPTIONS'].includes(method) && !request.headers['X-XSRF-TOKEN']) {
      request.headers['X-XSRF-TOKEN'] = token;
    }
    return request;
  },
});
