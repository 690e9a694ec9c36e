//! The distributor's RSA key pair and Orange's activation-code encryption:
//! RSA-OAEP with MGF1-SHA256, SHA-256 and no label, base64 on the wire (the
//! document's `encryptRSA`). The private key only ever lives in the keyring.

use crate::error::{Error, Result};
use crate::secrets::Secret;
use base64::Engine;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::{Oaep, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};

/// Orange asks for 4096-bit keys (`openssl genrsa 4096` in the document).
pub const KEY_BITS: usize = 4096;

/// Makes a new key pair (0.5 to 8 s in an optimised build).
pub fn generate() -> Result<RsaPrivateKey> {
    RsaPrivateKey::new(&mut rand::thread_rng(), KEY_BITS)
        .map_err(|e| Error::internal("crypto.keygen", format!("key generation failed: {e}")))
}

/// The private key as PKCS#8 PEM, for the keyring.
pub fn private_pem(key: &RsaPrivateKey) -> Result<Secret> {
    key.to_pkcs8_pem(LineEnding::LF)
        .map(|pem| Secret::new(pem.as_str()))
        .map_err(|e| Error::internal("crypto.encode", format!("cannot encode the private key: {e}")))
}

/// Reads a private key in PKCS#8 or PKCS#1 PEM (what `openssl genrsa` writes).
pub fn private_from_pem(pem: &Secret) -> Result<RsaPrivateKey> {
    RsaPrivateKey::from_pkcs8_pem(pem.expose())
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem.expose()))
        .map_err(|_| Error::invalid("crypto.bad_private_key", "this is not an RSA private key in PEM form"))
}

/// Shortest passphrase accepted for a key backup.
pub const MIN_PASSPHRASE: usize = 10;

/// The private key as a passphrase-encrypted PKCS#8 PEM (PBES2: scrypt and
/// AES-256-CBC), for a backup file that is useless without the passphrase.
pub fn encrypted_backup(key: &RsaPrivateKey, passphrase: &Secret) -> Result<String> {
    if passphrase.expose().chars().count() < MIN_PASSPHRASE {
        return Err(Error::invalid(
            "crypto.short_passphrase",
            format!("the passphrase must have at least {MIN_PASSPHRASE} characters"),
        ));
    }
    key.to_pkcs8_encrypted_pem(&mut rand::thread_rng(), passphrase.expose().as_bytes(), LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(|e| Error::internal("crypto.encode", format!("cannot encrypt the key backup: {e}")))
}

/// Reads a backup made by `encrypted_backup` (or by `openssl pkcs8 -topk8`).
pub fn from_encrypted_backup(pem: &str, passphrase: &Secret) -> Result<RsaPrivateKey> {
    RsaPrivateKey::from_pkcs8_encrypted_pem(pem.trim(), passphrase.expose().as_bytes()).map_err(|_| {
        Error::invalid(
            "crypto.bad_backup",
            "this file cannot be opened with this passphrase (wrong passphrase, or not a key backup)",
        )
    })
}

/// The public key as SubjectPublicKeyInfo PEM (`BEGIN PUBLIC KEY`), the
/// form `POST /distributors/keys` takes.
pub fn public_pem(key: &RsaPrivateKey) -> Result<String> {
    RsaPublicKey::from(key)
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| Error::internal("crypto.encode", format!("cannot encode the public key: {e}")))
}

/// A short, stable name for a public key (SHA-256 of its DER, 16 hex
/// digits), to tell whether the key Orange holds is ours.
pub fn fingerprint(public_pem: &str) -> Result<String> {
    let key = RsaPublicKey::from_public_key_pem(public_pem.trim())
        .map_err(|_| Error::invalid("crypto.bad_public_key", "this is not an RSA public key in PEM form"))?;
    let der = key
        .to_public_key_der()
        .map_err(|e| Error::internal("crypto.encode", e.to_string()))?;
    let digest = Sha256::digest(der.as_bytes());
    Ok(digest.iter().take(8).map(|b| format!("{b:02x}")).collect())
}

/// Decrypts an activation code as Orange sends it (base64 of RSA-OAEP).
pub fn decrypt_activation_code(key: &RsaPrivateKey, b64: &str) -> Result<Secret> {
    let cipher = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| Error::invalid("crypto.bad_ciphertext", "the activation code is not base64"))?;
    let clear = key.decrypt(Oaep::new::<Sha256>(), &cipher).map_err(|_| {
        Error::invalid(
            "crypto.wrong_key",
            "the activation code cannot be decrypted with this shop's key (was the key replaced?)",
        )
    })?;
    String::from_utf8(clear)
        .map(Secret::new)
        .map_err(|_| Error::invalid("crypto.bad_ciphertext", "the decrypted activation code is not text"))
}

/// Encrypts as Orange does; used by the simulator with the uploaded key.
pub fn encrypt_for(public_pem: &str, clear: &str) -> Result<String> {
    let key = RsaPublicKey::from_public_key_pem(public_pem.trim())
        .map_err(|_| Error::invalid("crypto.bad_public_key", "this is not an RSA public key in PEM form"))?;
    let cipher = key
        .encrypt(&mut rand::thread_rng(), Oaep::new::<Sha256>(), clear.as_bytes())
        .map_err(|e| Error::internal("crypto.encrypt", e.to_string()))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(cipher))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/orange_travel/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    fn test_key() -> RsaPrivateKey {
        private_from_pem(&Secret::new(fixture("test_private_key.pem"))).unwrap()
    }

    #[test]
    fn decrypts_what_python_cryptography_encrypted() {
        let key = test_key();
        let lpa = decrypt_activation_code(&key, &fixture("activation_code_lpa.b64")).unwrap();
        assert_eq!(lpa.expose(), "LPA:1$smdp.io$K2-1W2XQ4-1OR8GUH");
        let id = decrypt_activation_code(&key, &fixture("activation_code_matching_id.b64")).unwrap();
        assert_eq!(id.expose(), "K2-1W2XQ4-1OR8GUH");
    }

    #[test]
    fn round_trips_and_fingerprints() {
        let key = test_key();
        let public = public_pem(&key).unwrap();
        assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert_eq!(
            fingerprint(&public).unwrap(),
            fingerprint(&fixture("test_public_key.pem")).unwrap()
        );
        let sealed = encrypt_for(&public, "LPA:1$a.b$C").unwrap();
        assert_eq!(decrypt_activation_code(&key, &sealed).unwrap().expose(), "LPA:1$a.b$C");
        let again = private_from_pem(&private_pem(&key).unwrap()).unwrap();
        assert_eq!(again, key);
    }

    #[test]
    fn backups_open_with_their_passphrase_only() {
        let key = test_key();
        let pass = Secret::new("correct horse battery");
        let pem = encrypted_backup(&key, &pass).unwrap();
        assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assert_eq!(from_encrypted_backup(&pem, &pass).unwrap(), key);
        let wrong = from_encrypted_backup(&pem, &Secret::new("wrong horse battery")).unwrap_err();
        assert_eq!(wrong.code, "crypto.bad_backup");
        assert_eq!(
            encrypted_backup(&key, &Secret::new("short")).unwrap_err().code,
            "crypto.short_passphrase"
        );
    }

    #[test]
    fn a_code_for_another_key_is_a_clear_error() {
        let other = RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
        let sealed = encrypt_for(&public_pem(&other).unwrap(), "x").unwrap();
        assert_eq!(
            decrypt_activation_code(&test_key(), &sealed).unwrap_err().code,
            "crypto.wrong_key"
        );
        assert_eq!(
            decrypt_activation_code(&test_key(), "@@@").unwrap_err().code,
            "crypto.bad_ciphertext"
        );
    }
}
