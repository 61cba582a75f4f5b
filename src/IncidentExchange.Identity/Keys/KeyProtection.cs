using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IncidentExchange.Identity.Data;
using Microsoft.AspNetCore.DataProtection;

namespace IncidentExchange.Identity.Keys;

/// <summary>
/// What Identity keeps secret at rest: the Data Protection key ring (session cookies, the two-factor sign-in step) and
/// the private signing keys. The key ring lives in this service's database, so that every replica and every re-created
/// container reads the same one, and each of its keys is encrypted to a certificate kept in a file outside the database
/// (<c>DataProtection:CertificateFile</c>, PKCS #12, readable by the service's user only). A backup of the database
/// alone therefore holds no usable secret: no cookie key, and no signing key, which are stored protected by the key ring.
/// The service makes the certificate file at its first start when there is none.
/// </summary>
public static class KeyProtection
{
    /// <summary>The purpose the private signing keys are protected under.</summary>
    public const string SigningKeysPurpose = "IncidentExchange.Identity.SigningKeys";

    public static WebApplicationBuilder AddKeyProtection(this WebApplicationBuilder builder)
    {
        var file = builder.Configuration["DataProtection:CertificateFile"];
        if (string.IsNullOrWhiteSpace(file))
            throw new InvalidOperationException(
                "DataProtection:CertificateFile is not set: name the file (outside the database and its backups) that holds the certificate protecting Identity's keys.");
        var certificate = LoadOrCreate(file);
        builder.Services.AddDataProtection()
            .SetApplicationName("IncidentExchange.Identity")
            .PersistKeysToDbContext<IdentityDb>()
            .ProtectKeysWithCertificate(certificate)
            .UnprotectKeysWithAnyCertificate(certificate);
        return builder;
    }

    private static X509Certificate2 LoadOrCreate(string file)
    {
        if (File.Exists(file))
            return X509CertificateLoader.LoadPkcs12FromFile(file, password: null, X509KeyStorageFlags.EphemeralKeySet);

        // Readable by the service's user only (on Windows, the folder's access list decides).
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(folder);
        else
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=IncidentExchange Identity key protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(50));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(file, options))
            stream.Write(created.Export(X509ContentType.Pkcs12));
        return X509CertificateLoader.LoadPkcs12FromFile(file, password: null, X509KeyStorageFlags.EphemeralKeySet);
    }
}
