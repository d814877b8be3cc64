-- One database per service on the same server; no service reads another's tables.
CREATE DATABASE intake;
CREATE DATABASE escalation;
CREATE DATABASE followup;
CREATE DATABASE audit;
