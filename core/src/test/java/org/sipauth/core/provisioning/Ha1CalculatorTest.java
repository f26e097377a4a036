package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.Ha1Set;

class Ha1CalculatorTest {

    record Vector(String username, String realm, String password, String md5, String sha256, String sha512256) {
    }

    static Stream<Vector> vectors() throws IOException {
        List<Vector> vectors = new ArrayList<>();
        try (InputStream in = Ha1CalculatorTest.class.getResourceAsStream("/provisioning/ha1-vectors.txt")) {
            assertNotNull(in, "ha1-vectors.txt");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\|", -1);
                vectors.add(new Vector(f[0], f[1], f[2], f[3], f[4], f[5]));
            }
        }
        return vectors.stream();
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void compute_matchesIndependentlyComputedVectors(Vector v) {
        Ha1Set ha1 = Ha1Calculator.compute(v.username(), v.realm(), v.password());
        assertEquals(v.realm(), ha1.realm());
        assertEquals(v.md5(), ha1.md5());
        assertEquals(v.sha256(), ha1.sha256());
        assertEquals(v.sha512256(), ha1.sha512256());
    }

    static Stream<Vector> fixtureRealmVectors() throws IOException {
        return vectors().filter(v -> v.realm().equals(Fixture.REALM));
    }

    @ParameterizedTest
    @MethodSource("fixtureRealmVectors")
    void createdCredential_storesTheVectorsHa1s_forTheConfiguredRealm(Vector v) {
        Fixture f = new Fixture();
        String list = f.provisioning.credentialLists().create(f.account, "l").sid().value();
        Credential c = f.provisioning.credentials().create(f.account, list, v.username(), v.password());
        Credential stored = f.store.credentialsOf(c.credentialListSid()).get(0);
        assertEquals(new Ha1Set(v.realm(), v.md5(), v.sha256(), v.sha512256()), stored.ha1());
    }
}
