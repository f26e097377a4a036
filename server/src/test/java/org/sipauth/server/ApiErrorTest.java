package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sipauth.core.provisioning.ApiException;

class ApiErrorTest {

    @Test
    void body_hasTwilioKeysInOrderWithStatusEqualToHttp() {
        Map<String, Object> body = ApiError.body(ApiException.badRequest(21243, "Password is too short"));
        assertEquals(List.of("code", "message", "more_info", "status"), List.copyOf(body.keySet()));
        assertEquals(21243, body.get("code"));
        assertEquals(400, body.get("status"));
        assertEquals("https://www.twilio.com/docs/errors/21243", body.get("more_info"));
    }

    @Test
    void notFound_namesThePath() {
        ApiException e = ApiError.notFound("/v1/Trunks/TK1");
        assertEquals(404, e.httpStatus());
        assertEquals(20404, e.code());
        assertEquals("The requested resource /v1/Trunks/TK1 was not found", e.getMessage());
    }

    @Test
    void unauthorized_is401With20003() {
        ApiException e = ApiError.unauthorized();
        assertEquals(401, e.httpStatus());
        assertEquals(20003, e.code());
    }

    @Test
    void formContentType_acceptsUtf8OrNoCharsetOnly() {
        assertTrue(AdminApi.isUtf8Form("application/x-www-form-urlencoded"));
        assertTrue(AdminApi.isUtf8Form("application/x-www-form-urlencoded; charset=UTF-8"));
        assertTrue(AdminApi.isUtf8Form("Application/X-WWW-Form-Urlencoded;charset=\"utf-8\""));
        assertFalse(AdminApi.isUtf8Form("application/x-www-form-urlencoded; charset=ISO-8859-1"));
        assertFalse(AdminApi.isUtf8Form("application/json"));
        assertFalse(AdminApi.isUtf8Form("multipart/form-data; boundary=x"));
    }
}
