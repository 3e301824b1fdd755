import Yams

/// The Cloud resources one `functions.yaml` becomes: the service, the training job and the scheduler jobs.
package struct DeploymentPlan: Equatable {
    /// One resource as a file: its name in `--output`, how to apply it, and the YAML.
    package struct Document: Equatable {
        package var fileName: String
        package var applyHint: String
        package var yaml: String
    }

    var service: CloudRunService
    var trainingJob: CloudRunJob?
    var schedulerJobs: [SchedulerJob]
    /// The manifest's retention as bucket lifecycle rules (none when it keeps everything).
    var lifecycle: BucketLifecycle
    /// Things the operator should know that are not errors (a declared variable left without a value).
    package var notes: [String]

    /// Every resource rendered as YAML, in the order they should be applied.
    package func documents() throws -> [Document] {
        let encoder = YAMLEncoder()
        // Headers, labels and annotations are dictionaries: sorted keys make the same manifest give the same bytes,
        // so a plan can be diffed and reviewed.
        encoder.options.sortKeys = true
        var documents = [
            Document(
                fileName: "service.yaml",
                applyHint: "gcloud run services replace service.yaml",
                yaml: try encoder.encode(service))
        ]
        if let trainingJob {
            documents.append(
                Document(
                    fileName: "job-train.yaml",
                    applyHint: "gcloud run jobs replace job-train.yaml",
                    yaml: try encoder.encode(trainingJob)))
        }
        for job in schedulerJobs {
            let shortName = job.name.split(separator: "/").last.map(String.init) ?? job.name
            documents.append(
                Document(
                    fileName: "scheduler-\(shortName).yaml",
                    applyHint: "Cloud Scheduler REST projects.locations.jobs (see docs/DEPLOYMENT.md)",
                    yaml: try encoder.encode(job)))
        }
        if !lifecycle.rules.isEmpty {
            documents += [
                Document(
                    fileName: "lifecycle-gcs.json",
                    applyHint: "gcloud storage buckets update gs://BUCKET --lifecycle-file=lifecycle-gcs.json",
                    yaml: try lifecycle.cloudStorageJSON()),
                Document(
                    fileName: "lifecycle-s3.json",
                    applyHint:
                        "aws s3api put-bucket-lifecycle-configuration --bucket BUCKET "
                        + "--lifecycle-configuration file://lifecycle-s3.json",
                    yaml: try lifecycle.s3JSON()),
            ]
        }
        return documents
    }

    /// All documents as one multi-document YAML stream, each headed by a comment saying how to apply it.
    package func yamlStream() throws -> String {
        try documents().map { "# \($0.fileName): \($0.applyHint)\n---\n\($0.yaml)" }.joined()
    }
}
