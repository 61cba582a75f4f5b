using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using IncidentExchange.Testing;
using Npgsql;

namespace IncidentExchange.EndToEnd.Tests.Operations;

/// <summary>ops/backup.sh and ops/restore.sh against the running platform's PostgreSQL server.</summary>
public sealed class BackupRestoreTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task Backup_restored_into_an_empty_server_holds_every_report_and_every_service_database()
    {
        var lab = platform.ClientWithToken(await platform.TokenAsync("us-lab-demo"));
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await lab.PostAsJsonAsync("/api/v1/reports", Platform.SampleReport($"Before the backup {i}"))).StatusCode);
        var live = await ReportIdsAsync(5432);

        var backup = Path.Combine(Path.GetTempPath(), $"ix-backup-{Guid.NewGuid():N}");
        var cluster = $"ixrestore{Guid.NewGuid():N}"[..20];
        try
        {
            await RunAsync("ops/backup.sh", backup);
            var port = FreePort();
            await RunAsync("ops/restore.sh", backup, "--cluster", cluster, "--port", port.ToString());

            var restored = await ReportIdsAsync(port);
            Assert.NotEmpty(live);
            Assert.Empty(live.Except(restored)); // reports filed after the first count may be there too
            var databases = await File.ReadAllLinesAsync(Path.Combine(backup, "databases.txt"));
            Assert.Equal(["ix_alerts", "ix_drills", "ix_identity", "ix_reports", "ix_severity", "ix_translation", "ix_triage"], databases);
        }
        finally
        {
            await RunAsync("pg_dropcluster", "--stop", Directory.GetDirectories("/etc/postgresql").Select(Path.GetFileName).Max()!, cluster);
            if (Directory.Exists(backup))
                Directory.Delete(backup, recursive: true);
        }
    }

    private static async Task<HashSet<Guid>> ReportIdsAsync(int port)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("IX_TEST_POSTGRES")
            ?? "Host=127.0.0.1;Username=incidentexchange;Password=incidentexchange") { Port = port, Database = "ix_reports", Pooling = false };
        await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM reports", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new HashSet<Guid>();
        while (await reader.ReadAsync())
            ids.Add(reader.GetGuid(0));
        return ids;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string command, params string[] arguments)
    {
        var file = command.StartsWith("ops/", StringComparison.Ordinal) ? Repository.PathOf(command) : command;
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
    }
}
