package org.sipauth.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Renders the errors Jetty produces itself, before a request reaches Javalin (a request line or
 * headers too large, a malformed request), as Twilio error JSON instead of Jetty's HTML page.
 */
final class JsonJettyErrorHandler extends ErrorHandler {

    private final ObjectMapper mapper;

    JsonJettyErrorHandler(ObjectMapper mapper) {
        this.mapper = mapper;
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(json(status));
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message,
                                    Throwable cause, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(json(code)), callback);
    }

    private byte[] json(int status) {
        String message = switch (status) {
            case 400 -> "Malformed request";
            case 404 -> "The requested resource was not found";
            case 413 -> "Request body too large";
            case 414 -> "Request URI too long";
            case 431 -> "Request headers too large";
            default -> "Request failed with status " + status;
        };
        int code = status == 404 ? 20404 : status >= 500 ? ApiError.INTERNAL_ERROR : status;
        try {
            return mapper.writeValueAsString(ApiError.body(status, code, message)).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            return ("{\"code\":" + code + ",\"status\":" + status + "}").getBytes(StandardCharsets.US_ASCII);
        }
    }
}
