// RayJobsClient: a small synchronous client of the Ray Jobs REST API (submit, status, logs, stop, list) over URLSession.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NASCIR

/// The Ray Jobs REST API of a Ray head's dashboard (`http://HOST:8265`), as documented by Ray:
/// `POST /api/jobs/`, `GET /api/jobs/{id}`, `GET /api/jobs/{id}/logs`, `POST /api/jobs/{id}/stop`, `GET /api/jobs/`,
/// `GET /api/version`. Calls block the calling thread (never the experiment loop's: jobs poll on their own threads).
/// Errors are located at `--ray-address`.
public struct RayJobsClient: Sendable {
    /// The dashboard's base URL.
    public let base: URL
    /// Seconds before a request gives up.
    public var timeout: Double = 10

    /// A job's state as `GET /api/jobs/{id}` reports it.
    public struct JobInfo: Sendable {
        /// PENDING, RUNNING, SUCCEEDED, FAILED or STOPPED.
        public var status: String
        /// The entrypoint's exit code, once known.
        public var driverExitCode: Int?
        /// Ray's explanation of the status.
        public var message: String?
        /// `metadata` given at submission.
        public var metadata: [String: String]
        /// The submission id.
        public var submissionID: String?
        /// True once the job cannot change any more.
        public var isTerminal: Bool { ["SUCCEEDED", "FAILED", "STOPPED"].contains(status) }
    }

    /// Why a request failed.
    public enum Failure: Error, Sendable {
        /// No HTTP answer (connection refused, timeout, DNS).
        case unreachable(String)
        /// An HTTP status other than 2xx, with the body.
        case http(Int, String)
        /// A 2xx answer that is not the JSON expected.
        case badAnswer(String)
    }

    static let location = SourceLocation(file: "--ray-address")

    /// Parses and checks an address (`http://HOST:PORT`, no path).
    public static func baseURL(_ address: String) throws -> URL {
        guard let url = URL(string: address), let scheme = url.scheme, ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/" else {
            throw DiagnosticError(.error("expected the Ray dashboard address as http://HOST:PORT (e.g. http://127.0.0.1:8265), got '\(address)'",
                                         at: location))
        }
        return url
    }

    /// A client for `address`.
    public init(address: String) throws { base = try Self.baseURL(address) }

    /// Checks that the dashboard answers (`GET /api/version`); returns Ray's version. A one-line error otherwise.
    public func version() throws -> String {
        do {
            let json = try object(try request("GET", "/api/version"))
            return (json["ray_version"] as? String) ?? (json["version"] as? String) ?? "unknown"
        } catch let f as Failure {
            throw DiagnosticError(.error("cannot reach the Ray Jobs API at \(base.absoluteString): \(Self.describe(f))", at: Self.location))
        }
    }

    /// Submits a job; returns its submission id.
    public func submit(entrypoint: String, submissionID: String, numCPUs: Double, env: [String: String],
                       metadata: [String: String]) throws -> String {
        let body: [String: Any] = ["entrypoint": entrypoint, "submission_id": submissionID, "entrypoint_num_cpus": numCPUs,
                                   "runtime_env": ["env_vars": env], "metadata": metadata]
        let json = try object(try request("POST", "/api/jobs/", body: body))
        return (json["submission_id"] as? String) ?? (json["job_id"] as? String) ?? submissionID
    }

    /// The job's state; `nil` when the cluster does not know the job (404).
    public func info(_ id: String) throws -> JobInfo? {
        do {
            return Self.jobInfo(try object(try request("GET", "/api/jobs/\(id)")))
        } catch Failure.http(404, _) {
            return nil
        }
    }

    /// The job's whole log so far (stdout and stderr merged, with Ray's own lines); `nil` for an unknown job.
    public func logs(_ id: String) throws -> String? {
        do {
            return (try object(request("GET", "/api/jobs/\(id)/logs"))["logs"] as? String) ?? ""
        } catch Failure.http(404, _) {
            return nil
        }
    }

    /// Asks Ray to stop the job (SIGTERM, then SIGKILL after Ray's grace period). Unknown jobs are ignored.
    public func stop(_ id: String) throws {
        do { _ = try request("POST", "/api/jobs/\(id)/stop") } catch Failure.http(404, _) {}
    }

    /// Every job the cluster knows.
    public func list() throws -> [JobInfo] {
        let value = try JSONSerialization.jsonObject(with: try request("GET", "/api/jobs/"))
        guard let array = value as? [[String: Any]] else { throw Failure.badAnswer("GET /api/jobs/ did not return a list") }
        return array.compactMap(Self.jobInfo)
    }

    static func jobInfo(_ json: [String: Any]) -> JobInfo? {
        guard let status = json["status"] as? String else { return nil }
        var meta: [String: String] = [:]
        for (k, v) in (json["metadata"] as? [String: Any]) ?? [:] { if let s = v as? String { meta[k] = s } }
        return JobInfo(status: status, driverExitCode: json["driver_exit_code"] as? Int, message: json["message"] as? String,
                       metadata: meta, submissionID: json["submission_id"] as? String)
    }

    /// A failure as text for a one-line message.
    public static func describe(_ error: any Error) -> String {
        switch error {
        case Failure.unreachable(let m): return m
        case Failure.http(let code, let body): return "HTTP \(code): \(TrialMessage.preview(body))"
        case Failure.badAnswer(let m): return m
        default: return "\(error)"
        }
    }

    func object(_ data: Data) throws -> [String: Any] {
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw Failure.badAnswer("the answer is not a JSON object: \(TrialMessage.preview(String(decoding: data, as: UTF8.self)))")
        }
        return json
    }

    /// One HTTP request, waited for.
    func request(_ method: String, _ path: String, body: [String: Any]? = nil) throws -> Data {
        guard let url = URL(string: path, relativeTo: base) else { throw Failure.badAnswer("bad path \(path)") }
        var req = URLRequest(url: url, timeoutInterval: timeout)
        req.httpMethod = method
        if let body {
            req.httpBody = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            req.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let box = ResponseBox()
        let done = DispatchSemaphore(value: 0)
        let task = URLSession.shared.dataTask(with: req) { data, response, error in
            box.set(data, (response as? HTTPURLResponse)?.statusCode, error)
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout + 2) == .timedOut {
            task.cancel()
            throw Failure.unreachable("\(method) \(path): no answer within \(Int(timeout)) s")
        }
        let (data, status, error) = box.get()
        if let error { throw Failure.unreachable("\(method) \(path): \(error.localizedDescription)") }
        guard let status else { throw Failure.unreachable("\(method) \(path): no HTTP response") }
        guard (200..<300).contains(status) else { throw Failure.http(status, String(decoding: data ?? Data(), as: UTF8.self)) }
        return data ?? Data()
    }
}

/// The result of one request, handed from URLSession's queue to the waiting thread.
final class ResponseBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Data?, Int?, (any Error)?) = (nil, nil, nil)
    func set(_ d: Data?, _ s: Int?, _ e: (any Error)?) { lock.lock(); value = (d, s, e); lock.unlock() }
    func get() -> (Data?, Int?, (any Error)?) { lock.lock(); defer { lock.unlock() }; return value }
}
