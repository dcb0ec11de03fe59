package ada.carbon.aggregator.oracle;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.IntensityEvent;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.schemas.Times;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** Events in their SPEC 1 JSON Lines form, so a failing case can be read and replayed. */
final class EventText {
    private EventText() {}

    static String lines(List<?> events) {
        return events.stream().map(EventText::line).collect(Collectors.joining("\n"));
    }

    static String line(Object e) {
        if (e instanceof CpuEvent c) {
            return "{\"kind\":\"cpu\",\"instance\":" + q(c.getInstance()) + ",\"cloud_project_name\":"
                    + q(c.getCloudProjectName()) + ",\"machine_name\":" + q(c.getMachineName()) + ",\"ts\":"
                    + t(c.getTs()) + ",\"period_seconds\":" + c.getPeriodSeconds() + ",\"busy_cpu_seconds\":"
                    + c.getBusyCpuSeconds() + ",\"idle_cpu_seconds\":" + c.getIdleCpuSeconds() + "}";
        }
        if (e instanceof IntensityEvent i) {
            return "{\"kind\":\"intensity\",\"from\":" + t(i.getFrom()) + ",\"to\":" + t(i.getTo()) + ",\"forecast\":"
                    + i.getForecast() + ",\"actual\":" + i.getActual() + ",\"index\":" + q(i.getIndex())
                    + (i.getRegion() == null ? "" : ",\"region\":" + i.getRegion()) + "}";
        }
        if (e instanceof WorkspaceEvent w) {
            return "{\"kind\":\"workspace\",\"workspace_key\":" + q(w.getWorkspaceKey()) + ",\"instance\":"
                    + q(w.getInstance()) + ",\"owner\":" + q(w.getOwner()) + ",\"cloud_project_name\":"
                    + q(w.getCloudProjectName()) + ",\"machine_name\":" + q(w.getMachineName()) + ",\"created_time\":"
                    + t(w.getCreatedTime()) + ",\"deleted_time\":" + t(w.getDeletedTime()) + "}";
        }
        if (e instanceof UserEvent u) {
            return "{\"kind\":\"user\",\"user_id\":" + q(u.getUserId()) + ",\"display_name\":" + q(u.getDisplayName())
                    + ",\"group_name\":" + q(u.getGroupName()) + ",\"projects\":"
                    + u.getProjects().stream().map(EventText::q).collect(Collectors.joining(",", "[", "]")) + "}";
        }
        return String.valueOf(e);
    }

    private static String q(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String t(Instant i) {
        return i == null ? "null" : "\"" + Times.format(i) + "\"";
    }
}
