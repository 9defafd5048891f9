package dev.bookmarks.events;

/**
 * A payload record that knows where it travels. Only the record components are serialized; these
 * accessors feed the envelope and the Kafka record, never the payload JSON.
 */
public interface DomainEvent {

	/** The topic of the aggregate this event belongs to. */
	String topic();

	/** The routing name of the event, stable across Java renames. */
	String type();

	/** The payload schema version; bumped on any change a consumer could notice. */
	int version();

	/** The id of the aggregate, also the Kafka record key. */
	String aggregateId();

}
