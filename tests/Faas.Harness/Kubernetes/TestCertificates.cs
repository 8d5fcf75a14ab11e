using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Faas.Harness.Kubernetes;

/// <summary>A throwaway CA, a server certificate for 127.0.0.1 and a client certificate (CN <c>faas-gateway</c>) it signed, as a cluster's PKI would issue.</summary>
public sealed class TestCertificates
{
    private TestCertificates(X509Certificate2 authority, X509Certificate2 server, X509Certificate2 client)
    {
        Authority = authority;
        Server = server;
        Client = client;
    }

    public X509Certificate2 Authority { get; }

    /// <summary>With its private key, loadable by Kestrel.</summary>
    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public string AuthorityPem => Authority.ExportCertificatePem();

    public string ClientCertificatePem => Client.ExportCertificatePem();

    public string ClientKeyPem => Client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();

    public static TestCertificates Create(string authorityName = "faas-test-ca")
    {
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest($"CN={authorityName}", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        var authority = authorityRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));

        var server = Issue(authority, "CN=kube-apiserver", now, request =>
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        });
        var client = Issue(authority, "CN=faas-gateway", now, request =>
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)));
        return new TestCertificates(authority, server, client);
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string subject, DateTimeOffset now, Action<CertificateRequest> extend)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        extend(request);
        using var issued = request.Create(authority, now.AddDays(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);

        // Round-tripped through PKCS#12 so that SslStream on Linux can use the key.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
