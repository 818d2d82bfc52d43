// A SPARQL protocol endpoint over Apache Jena ARQ, for the engine tests: `java -cp CLASSPATH
// JenaEndpoint.java PORT QUADS TRIPLES` serves, on 127.0.0.1:PORT/sparql, the N-Quads file's named graphs
// with the N-Triples file as the default graph. SELECT and ASK answer in SPARQL JSON, CONSTRUCT and DESCRIBE
// in Turtle, a query Jena cannot parse with 400. The protocol's dataset parameters are refused (400): the
// tests send none. Run as a single source file, which the Java runtime compiles as it starts.

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;

public class JenaEndpoint {
    public static void main(String[] args) throws IOException {
        Dataset dataset = DatasetFactory.create();
        RDFDataMgr.read(dataset, args[1]);
        RDFDataMgr.read(dataset.getDefaultModel(), args[2]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
        server.createContext("/sparql", exchange -> answer(exchange, dataset));
        server.start();
    }

    private static void answer(HttpExchange exchange, Dataset dataset) throws IOException {
        String form = "POST".equals(exchange.getRequestMethod())
            ? new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
            : exchange.getRequestURI().getRawQuery();
        Map<String, String> parameters = new HashMap<>();
        for (String pair : (form == null ? "" : form).split("&")) {
            String[] parts = pair.split("=", 2);
            if (parts.length == 2) {
                parameters.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
            }
        }
        if (!parameters.containsKey("query")
                || parameters.containsKey("default-graph-uri") || parameters.containsKey("named-graph-uri")) {
            send(exchange, 400, "text/plain", "a query, and no dataset parameters, please".getBytes());
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String type = "application/sparql-results+json";
        try {
            Query query = QueryFactory.create(parameters.get("query"));
            try (QueryExecution execution = QueryExecutionFactory.create(query, dataset)) {
                if (query.isSelectType()) {
                    ResultSetFormatter.outputAsJSON(out, execution.execSelect());
                } else if (query.isAskType()) {
                    ResultSetFormatter.outputAsJSON(out, execution.execAsk());
                } else {
                    Model model = query.isConstructType() ? execution.execConstruct() : execution.execDescribe();
                    RDFDataMgr.write(out, model, Lang.TURTLE);
                    type = "text/turtle";
                }
            }
        } catch (QueryParseException error) {
            send(exchange, 400, "text/plain", error.getMessage().getBytes(StandardCharsets.UTF_8));
            return;
        } catch (RuntimeException error) {
            send(exchange, 500, "text/plain", String.valueOf(error).getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(exchange, 200, type, out.toByteArray());
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
