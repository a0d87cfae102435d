import { createServer } from 'node:http';
import { route } from './routes';

const port = Number(process.env.PORT ?? 3000);

createServer((request, response) => {
  const { status, body } = route(request.method ?? 'GET', request.url ?? '/');
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
}).listen(port, () => console.log(`shop listening on http://localhost:${port}`));
