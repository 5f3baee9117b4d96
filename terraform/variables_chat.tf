# Inputs about the Chat app: its kind and connection, slash commands, the
# secrets it reads, user sign-in and incidents.

# --- The Chat app -----------------------------------------------------------

variable "chat_app_kind" {
  description = "How the Chat app is built on the Chat API configuration page: \"classic\" (a Chat app) or \"add-on\" (a Google Workspace add-on that extends Chat)."
  type        = string
  default     = "classic"

  validation {
    condition     = contains(["classic", "add-on"], var.chat_app_kind)
    error_message = "chat_app_kind must be \"classic\" or \"add-on\"."
  }
}

variable "chat_audience_kind" {
  description = "Classic apps: the \"Authentication Audience\" chosen on the Chat API configuration page, \"endpoint-url\" (recommended: IAM checks Chat's token before the code runs) or \"project-number\". Add-ons always use endpoint-url."
  type        = string
  default     = "endpoint-url"

  validation {
    condition     = contains(["endpoint-url", "project-number"], var.chat_audience_kind)
    error_message = "chat_audience_kind must be \"endpoint-url\" or \"project-number\"."
  }

  validation {
    condition     = var.chat_app_kind == "classic" || var.chat_audience_kind == "endpoint-url"
    error_message = "Add-on Chat apps are always called with endpoint-URL tokens: set chat_audience_kind = \"endpoint-url\"."
  }
}

variable "interaction_delivery" {
  description = "How Chat delivers interaction events: \"http\" (to chatEvents) or \"pubsub\" (to the interactions topic, consumed by chatPubsub). Decides what the chat_app_connection output tells you to paste."
  type        = string
  default     = "http"

  validation {
    condition     = contains(["http", "pubsub"], var.interaction_delivery)
    error_message = "interaction_delivery must be \"http\" or \"pubsub\"."
  }
}

variable "addon_service_agent" {
  description = "Add-on apps: the Google Workspace add-ons service agent Chat calls and publishes as. Empty: service-<project-number>@gcp-sa-gsuiteaddons.iam.gserviceaccount.com."
  type        = string
  default     = ""

  validation {
    condition     = var.addon_service_agent == "" || can(regex("^[a-z0-9-]+@[a-z0-9.-]+\\.iam\\.gserviceaccount\\.com$", var.addon_service_agent))
    error_message = "addon_service_agent must be empty or a service agent email ending in .iam.gserviceaccount.com."
  }
}

variable "command_ids" {
  description = "Command ids of the slash commands, exactly as entered on the Chat API configuration page."
  type = object({
    help     = optional(string, "1")
    digest   = optional(string, "2")
    incident = optional(string, "3")
    signout  = optional(string, "4")
    myspaces = optional(string, "5")
  })
  default = {}

  validation {
    condition     = alltrue([for id in values(var.command_ids) : can(regex("^[1-9][0-9]{0,3}$", id))])
    error_message = "Every command id must be a whole number from 1 to 9999, as on the Chat API configuration page."
  }

  validation {
    condition     = length(distinct(values(var.command_ids))) == length(values(var.command_ids))
    error_message = "Command ids must be distinct."
  }
}

# --- Secrets (created empty; you add the versions) ---------------------------

variable "service_account_key_secret_id" {
  description = "Secret that will hold the Chat app service account's JSON key."
  type        = string
  default     = "spacelog-chat-sa-key"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.service_account_key_secret_id))
    error_message = "Secret ids are 1 to 255 letters, digits, hyphens and underscores."
  }
}

variable "token_encryption_key_secret_id" {
  description = "Secret that will hold the 32-byte AES-256-GCM key (base64) that encrypts stored refresh tokens."
  type        = string
  default     = "spacelog-token-key"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.token_encryption_key_secret_id))
    error_message = "Secret ids are 1 to 255 letters, digits, hyphens and underscores."
  }
}

variable "oauth_client_secret_secret_id" {
  description = "Secret that will hold the OAuth client secret for user sign-in."
  type        = string
  default     = "spacelog-oauth-client-secret"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.oauth_client_secret_secret_id))
    error_message = "Secret ids are 1 to 255 letters, digits, hyphens and underscores."
  }
}

variable "webhook_secret_prefix" {
  description = "Prefix of the per-space incoming-webhook secrets; each is named prefix + space id."
  type        = string
  default     = "spacelog-webhook-"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,200}$", var.webhook_secret_prefix))
    error_message = "webhook_secret_prefix must be 1 to 200 letters, digits, hyphens and underscores."
  }
}

variable "webhook_space_ids" {
  description = "Ids of the spaces that post through an incoming webhook (the part after spaces/), one secret each."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.webhook_space_ids : can(regex("^[A-Za-z0-9_-]{1,50}$", id))])
    error_message = "A space id is the part after spaces/ in the space name, such as AAAAxyz123 (letters, digits, - and _)."
  }
}

# --- User sign-in --------------------------------------------------------------

variable "oauth_client_id" {
  description = "OAuth client id for user sign-in: a Web application client whose redirect URI is the oauth_redirect_uri output (docs/deploy.md shows how to know it before the first apply)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+-[a-z0-9]+\\.apps\\.googleusercontent\\.com$", var.oauth_client_id))
    error_message = "oauth_client_id must be a client id such as 123456789012-abc123.apps.googleusercontent.com."
  }
}

# --- Incidents -----------------------------------------------------------------

variable "incident_space_mode" {
  description = "How incident spaces are created: \"app\" (chat.app.* scopes, administrator approval), \"delegated\" (domain-wide delegation as incident_delegated_user) or \"user\" (as the signed-in user who asked)."
  type        = string
  default     = "app"

  validation {
    condition     = contains(["app", "delegated", "user"], var.incident_space_mode)
    error_message = "incident_space_mode must be \"app\", \"delegated\" or \"user\"."
  }
}

variable "incident_delegated_user" {
  description = "Delegated mode: the email of the Workspace user impersonated to create incident spaces."
  type        = string
  default     = ""

  validation {
    condition     = var.incident_space_mode != "delegated" || can(regex("^[^@\\s]+@[^@\\s]+$", var.incident_delegated_user))
    error_message = "incident_space_mode = \"delegated\" needs incident_delegated_user set to a user's email."
  }
}

variable "incident_responders" {
  description = "Chat users (users/ID or emails) added to every incident space."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.incident_responders : can(regex("^(users/[0-9A-Za-z]+|[^@,\\s]+@[^@,\\s]+)$", r))])
    error_message = "Each responder is users/ID or an email, without commas."
  }
}

variable "chat_app_scopes_approved" {
  description = "Set true once a Workspace administrator has approved the app's chat.app.* scopes."
  type        = bool
  default     = false
}

variable "create_alerts_notification_channel" {
  description = "Create a Cloud Monitoring notification channel that publishes alerts to the alerts topic (attach it to your alert policies)."
  type        = bool
  default     = true
}
