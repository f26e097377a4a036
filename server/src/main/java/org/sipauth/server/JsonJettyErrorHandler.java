package org.sipauth.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Renders the errors Jetty produces itself, before a request reaches Javalin (a request line or
 * headers too large, a malformed request), as Twilio error JSON instead of Jetty's HTML page.
 */
final class JsonJettyErrorHandler extends ErrorHandler {

    private final ObjectMapper mapper;

    JsonJettyErrorHandler(ObjectMapper mapper) {
        this.mapper = mapper;
        setShowStacks(false);
        setShowServlet(false);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(json(status));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
                                              HttpServletResponse response, int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        response.getOutputStream().write(json(code));
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
