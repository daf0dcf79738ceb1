// Swagger UI over this server's own schema; a file, not inline, so the CSP needs no hash.
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
