// Where experiments run: on this host, or in the compose services. The one
// word for it in settings (`dispatch: auto | local | docker`), the run's meta
// and NDJSON (`dispatch`), and the dispatch request.
export type Where = 'local' | 'docker';
