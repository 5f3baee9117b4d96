# Inputs: the project, naming, data, digests, scaling and delivery. The Chat
# app, its secrets, sign-in and incidents are in variables_chat.tf. Only
# `project_id` and `oauth_client_id` are required; terraform.tfvars.example
# shows the rest.

variable "project_id" {
  description = "Google Cloud project id to deploy into (the project whose Chat API configuration page you will fill in)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project id: 6 to 30 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  description = "Region of the functions, the source bucket and the Cloud Scheduler job, such as us-central1."
  type        = string
  default     = "us-central1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region such as us-central1 or europe-west1."
  }
}

variable "firestore_location" {
  description = "Firestore location: a region (us-central1) or a multi-region (nam5, eur3). Empty: the same as region."
  type        = string
  default     = ""

  validation {
    condition     = var.firestore_location == "" || can(regex("^[a-z0-9-]+$", var.firestore_location))
    error_message = "firestore_location must be empty or a Firestore location id such as nam5 or europe-west1."
  }
}

variable "firestore_database" {
  description = "Firestore database id. \"(default)\" unless the project's default database is used by something else."
  type        = string
  default     = "(default)"

  validation {
    condition     = var.firestore_database == "(default)" || can(regex("^[a-z][a-z0-9-]{3,61}[a-z0-9]$", var.firestore_database))
    error_message = "firestore_database must be \"(default)\" or 5 to 63 lowercase letters, digits and hyphens."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name (functions, topics, service accounts, the scheduler job)."
  type        = string
  default     = "spacelog"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,14}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 2 to 16 lowercase letters, digits and hyphens, starting with a letter (service account ids are limited to 30 characters)."
  }
}

# --- Digests -------------------------------------------------------------------

variable "digest_schedule" {
  description = "Cron schedule (5 fields, in digest_time_zone) of the digest tick; each tick posts the digests that are due. Every 15 minutes by default."
  type        = string
  default     = "*/15 * * * *"

  validation {
    condition     = can(regex("^\\S+ \\S+ \\S+ \\S+ \\S+$", var.digest_schedule))
    error_message = "digest_schedule must be a 5-field cron expression such as \"*/15 * * * *\"."
  }
}

variable "digest_time_zone" {
  description = "Time zone of digest_schedule (an IANA name). Each space's own digest time uses the space's time zone."
  type        = string
  default     = "Etc/UTC"
}

variable "digest_quiet" {
  description = "A period without activity gets a short note (\"note\") or no digest (\"skip\")."
  type        = string
  default     = "note"

  validation {
    condition     = contains(["note", "skip"], var.digest_quiet)
    error_message = "digest_quiet must be \"note\" or \"skip\"."
  }
}

variable "digest_default_time" {
  description = "Time of day (HH:MM, 24-hour) new digests are scheduled at, in the space's time zone."
  type        = string
  default     = "09:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]$", var.digest_default_time))
    error_message = "digest_default_time must be HH:MM on a 24-hour clock."
  }
}

# --- Data ------------------------------------------------------------------------

variable "store_message_text" {
  description = "Keep message text in the event log. Off: only lengths, ids and command names."
  type        = bool
  default     = false
}

variable "rejected_retention_days" {
  description = "Days refused inputs are kept for operators before Firestore's TTL policy deletes them."
  type        = number
  default     = 14

  validation {
    condition     = var.rejected_retention_days >= 1 && var.rejected_retention_days <= 365 && floor(var.rejected_retention_days) == var.rejected_retention_days
    error_message = "rejected_retention_days must be a whole number from 1 to 365."
  }
}

variable "log_level" {
  description = "Lowest severity the functions log."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARNING", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARNING or ERROR."
  }
}

# --- Scaling ---------------------------------------------------------------------

variable "chat_events_min_instances" {
  description = "Instances of chatEvents kept warm. 1 avoids cold starts inside Chat's 30-second reply window, at the cost of one idle instance."
  type        = number
  default     = 0

  validation {
    condition     = var.chat_events_min_instances >= 0 && var.chat_events_min_instances <= 100
    error_message = "chat_events_min_instances must be from 0 to 100."
  }
}

variable "chat_events_max_instances" {
  description = "Upper bound on chatEvents instances."
  type        = number
  default     = 20

  validation {
    condition     = var.chat_events_max_instances >= 1 && var.chat_events_max_instances <= 1000
    error_message = "chat_events_max_instances must be from 1 to 1000."
  }
}

variable "chat_events_concurrency" {
  description = "Requests one chatEvents instance serves at once (above 1 needs a whole vCPU, which chat_events_cpu gives)."
  type        = number
  default     = 40

  validation {
    condition     = var.chat_events_concurrency >= 1 && var.chat_events_concurrency <= 1000
    error_message = "chat_events_concurrency must be from 1 to 1000."
  }
}

variable "chat_events_cpu" {
  description = "vCPUs of a chatEvents instance, as Cloud Run writes them (\"1\", \"2\", or a fraction such as \"0.5\" when concurrency is 1)."
  type        = string
  default     = "1"

  validation {
    condition     = can(tonumber(var.chat_events_cpu)) && (var.chat_events_concurrency == 1 || try(tonumber(var.chat_events_cpu), 0) >= 1)
    error_message = "chat_events_cpu must be a number, at least 1 when chat_events_concurrency is above 1."
  }
}

variable "chat_pubsub_max_instances" {
  description = "Upper bound on chatPubsub instances. Each instance paces its own writes per space, so fewer instances keep closer to Chat's per-space limit."
  type        = number
  default     = 5

  validation {
    condition     = var.chat_pubsub_max_instances >= 1 && var.chat_pubsub_max_instances <= 1000
    error_message = "chat_pubsub_max_instances must be from 1 to 1000."
  }
}

variable "chat_pubsub_concurrency" {
  description = "Pushed messages one chatPubsub instance handles at once."
  type        = number
  default     = 20

  validation {
    condition     = var.chat_pubsub_concurrency >= 1 && var.chat_pubsub_concurrency <= 1000
    error_message = "chat_pubsub_concurrency must be from 1 to 1000."
  }
}

# --- Delivery ----------------------------------------------------------------------

variable "max_delivery_attempts" {
  description = "Deliveries of a Pub/Sub message before it is moved to its dead-letter topic (Pub/Sub accepts 5 to 100)."
  type        = number
  default     = 10

  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "max_delivery_attempts must be from 5 to 100."
  }
}

variable "source_dir" {
  description = "Directory holding the deployable package written by scripts/package.sh. Empty: ../dist/package next to this configuration."
  type        = string
  default     = ""
}
