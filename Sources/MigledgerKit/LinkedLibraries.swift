internal import CCurl
internal import CPgQuery
import MigGit

/// The C libraries this binary runs with, for `--version` and bug reports.
public enum LinkedLibraries {
    public static var summary: String {
        "libgit2 \(libgit2Version), \(curlVersion), libpg_query (PostgreSQL \(PG_VERSION))"
    }

    private static var curlVersion: String {
        guard let info = curl_version_info(CURLVERSION_FIRST), let version = info.pointee.version else {
            return "libcurl"
        }
        return "libcurl \(String(cString: version))"
    }
}
