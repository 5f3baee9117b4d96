# The digest clock: Cloud Scheduler publishes a tick to the digest-ticks topic
# on digest_schedule; scheduledDigest turns each tick into one digest job per
# space that is due. Scheduler delivers at least once and the tick's period
# makes the work idempotent, so a retried publish does no harm.
resource "google_cloud_scheduler_job" "digest_tick" {
  name        = "${var.name_prefix}-digest-tick"
  region      = var.region
  description = "Publishes a digest tick; scheduledDigest posts the digests that are due."
  schedule    = var.digest_schedule
  time_zone   = var.digest_time_zone

  retry_config {
    retry_count          = 3
    min_backoff_duration = "10s"
    max_backoff_duration = "120s"
    max_doublings        = 3
  }

  pubsub_target {
    topic_name = google_pubsub_topic.digest_ticks.id
    data       = base64encode(jsonencode({ schedule = var.digest_schedule, timeZone = var.digest_time_zone }))
  }

  depends_on = [google_project_service.enabled]
}
