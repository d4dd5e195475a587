"""A throwaway PKI for tests: a root CA and an organisation's signing certificate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.sign.signers import SimpleSigner

SIGNER_NAME = "Office of the Police and Crime Commissioner for Lancashire"
PASSPHRASE = b"correct horse battery staple"
REASON = "Signed by Miranda Carruthers-Watt, Chief Executive"
LOCATION = "County Hall, Preston"


@dataclass(frozen=True)
class Pki:
    root: x509.Certificate
    root_pem: Path
    other_root: x509.Certificate
    p12: Path
    passphrase_file: Path
    signer: SimpleSigner
    signer_without_non_repudiation: SimpleSigner


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _ca(common_name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _signer_cert(
    ca_key, ca_cert, common_name: str, *, non_repudiation: bool
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=non_repudiation,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def _p12(key, cert, ca_cert, passphrase: bytes) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        b"opcc", key, cert, [ca_cert], serialization.BestAvailableEncryption(passphrase)
    )


def make_pki(folder: Path) -> Pki:
    """A throwaway test CA and signer certificate, as an organisation would hold them."""
    ca_key, ca_cert = _ca("Scrutiny Portal Test Root CA")
    _, other_root = _ca("Some Other Root CA")
    key, cert = _signer_cert(ca_key, ca_cert, SIGNER_NAME, non_repudiation=True)
    weak_key, weak_cert = _signer_cert(
        ca_key, ca_cert, "Ordinary TLS-style key", non_repudiation=False
    )

    root_pem = folder / "root.pem"
    root_pem.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    p12 = folder / "signer.p12"
    p12.write_bytes(_p12(key, cert, ca_cert, PASSPHRASE))
    passphrase_file = folder / "passphrase"
    passphrase_file.write_bytes(PASSPHRASE + b"\n")
    return Pki(
        root=ca_cert,
        root_pem=root_pem,
        other_root=other_root,
        p12=p12,
        passphrase_file=passphrase_file,
        signer=SimpleSigner.load_pkcs12_data(p12.read_bytes(), [], passphrase=PASSPHRASE),
        signer_without_non_repudiation=SimpleSigner.load_pkcs12_data(
            _p12(weak_key, weak_cert, ca_cert, PASSPHRASE), [], passphrase=PASSPHRASE
        ),
    )
