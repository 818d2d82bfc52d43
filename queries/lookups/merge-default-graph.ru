# The RDF merge of the named graphs, put in the default graph (each triple once): what queries on the
# oxigraph store see. Used for a store filled without the library's loader.
INSERT { ?subject ?predicate ?object }
WHERE { GRAPH ?graph { ?subject ?predicate ?object } }
