/**
 * The sandbox API servers' TLS identity: a self-signed certificate (CA:TRUE, so it is its own CA)
 * for 127.0.0.1, ::1 and localhost, valid 2024–2124. It is public on purpose and protects nothing:
 * kubectl and helm send bearer tokens only over https (client-go's IsConfigTransportTLS), so a
 * local API server that wants to check tokens must speak TLS. Kubeconfigs may pin it with
 * `certificate-authority-data` (SANDBOX_CA_DATA) or use `insecure-skip-tls-verify: true`.
 * Regenerate with openssl (EC P-256, `openssl ca -selfsign -startdate 20240101000000Z`).
 */

export const SANDBOX_TLS_CERT = `
-----BEGIN CERTIFICATE-----
MIICOTCCAeCgAwIBAgIBATAKBggqhkjOPQQDAjBFMRkwFwYDVQQKDBBoeXBlcnBv
ZC1zYW5kYm94MSgwJgYDVQQDDB9oeXBlcnBvZC1zYW5kYm94IGt1YmUtYXBpc2Vy
dmVyMCAXDTI0MDEwMTAwMDAwMFoYDzIxMjQwMTAxMDAwMDAwWjBFMRkwFwYDVQQK
DBBoeXBlcnBvZC1zYW5kYm94MSgwJgYDVQQDDB9oeXBlcnBvZC1zYW5kYm94IGt1
YmUtYXBpc2VydmVyMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEjIOhyQPL7tPX
ZmHPpG0nNdUpEzvovtfeqSi4qSn2rjrZrnK7W51m//7kPQdl2tXfwSMkVe+fZe82
1qHCpFwPaqOBvjCBuzBkBgNVHREEXTBbhwR/AAABhxAAAAAAAAAAAAAAAAAAAAAB
gglsb2NhbGhvc3SCCmt1YmVybmV0ZXOCEmt1YmVybmV0ZXMuZGVmYXVsdIIWa3Vi
ZXJuZXRlcy5kZWZhdWx0LnN2YzAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQE
AwIChDATBgNVHSUEDDAKBggrBgEFBQcDATAdBgNVHQ4EFgQUx/WVTkV9b/yCT3S3
A9lTIdySDWAwCgYIKoZIzj0EAwIDRwAwRAIgASA9rqsNFltzxaFhKtjqHz1Ymq9T
KPt8P2jgBu5W2tcCIDG7Llu4xJKYZ9UtMGatVtc0VJQkjIyZBATst3FasIgM
-----END CERTIFICATE-----
`.trimStart();

export const SANDBOX_TLS_KEY = `
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFZkgp2kiTYyJrguo
S0vq9uq7pA3vyyb+9+qGD5F84qehRANCAASMg6HJA8vu09dmYc+kbSc11SkTO+i+
196pKLipKfauOtmucrtbnWb//uQ9B2Xa1d/BIyRV759l7zbWocKkXA9q
-----END PRIVATE KEY-----
`.trimStart();

/** base64 of the PEM certificate, for kubeconfig `certificate-authority-data`. */
export const SANDBOX_CA_DATA = Buffer.from(SANDBOX_TLS_CERT).toString('base64');
